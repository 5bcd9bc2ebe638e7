// SaslHandshake Request (Version: 1) => mechanism
//   (same grammar as version 0; v1 only means the SASL tokens that follow travel in
//   SaslAuthenticate requests instead of bare size-prefixed frames)
export { decode } from '../v0/request.js';
