// OffsetFetch Request (Version: 3) => group_id [topics]
//   (same grammar as version 2)
export { decode } from '../v2/request.js';
