/** SaslAuthenticate, version-independent shapes. */
export interface SaslAuthenticateRequest {
  /** One SASL token from the client (a view into the frame, not a copy). */
  authBytes: Buffer;
}

export interface SaslAuthenticateResponse {
  errorCode: number;
  errorMessage: string | null;
  /** The server's SASL token (empty when it has none). */
  authBytes: Buffer;
  /** v1+: how long the session may live before re-authentication; 0 = no limit. */
  sessionLifetimeMs: number;
}
