// Metadata Request (Version: 5) => [topics] allow_auto_topic_creation
//   (same grammar as version 4)
export { decode } from '../v4/request.js';
