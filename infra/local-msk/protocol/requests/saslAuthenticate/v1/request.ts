// SaslAuthenticate Request (Version: 1) => auth_bytes
//   (same grammar as version 0)
export { decode } from '../v0/request.js';
