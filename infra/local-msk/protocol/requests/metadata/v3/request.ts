// Metadata Request (Version: 3) => [topics]
//   (same grammar as version 1)
export { decode } from '../v1/request.js';
