// SaslHandshake Response (Version: 1) => error_code [mechanisms]
//   (same grammar as version 0)
export { encode } from '../v0/response.js';
