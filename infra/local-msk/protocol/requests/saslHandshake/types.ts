/** SaslHandshake, version-independent shapes. */
export interface SaslHandshakeRequest {
  /** The SASL mechanism the client wants, e.g. "SCRAM-SHA-512". */
  mechanism: string;
}

export interface SaslHandshakeResponse {
  errorCode: number;
  /** The mechanisms this listener enables (always sent, so a client can tell what to use). */
  mechanisms: string[];
}
