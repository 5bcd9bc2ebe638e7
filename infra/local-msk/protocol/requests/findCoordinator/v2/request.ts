// FindCoordinator Request (Version: 2) => key key_type
//   (same grammar as version 1)
export { decode } from '../v1/request.js';
