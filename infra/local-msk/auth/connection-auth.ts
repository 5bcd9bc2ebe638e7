import { ApiKey } from '../protocol/api-keys.js';
import { ErrorCode } from '../protocol/error-codes.js';
import type { BrokerAuth } from './broker-auth.js';
import { maxSaslTokenBytes, type SaslExchange } from './sasl-exchange.js';

/** What one SASL token earns: the error code and message to answer, and the server's token. */
export interface AuthenticateOutcome {
  readonly errorCode: number;
  readonly errorMessage: string | null;
  readonly bytes: Buffer;
  /** Principal on success (for the log line). */
  readonly principal?: string;
}

/** APIs Kafka serves on a SASL listener before authentication. */
const beforeAuthentication = new Set<number>([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);

/**
 * The SASL state of one connection, as Kafka's SaslServerAuthenticator keeps it:
 * initial → (SaslHandshake) → exchanging → (SaslAuthenticate…) → authenticated. Any failure
 * marks the connection to be closed once its answer is sent.
 */
export class ConnectionAuth {
  private state: 'initial' | 'exchanging' | 'authenticated' = 'initial';
  private exchange: SaslExchange | null = null;
  /** SaslHandshake v0: the tokens that follow are bare size-prefixed frames, not requests. */
  private bareTokens = false;
  /** Set when the connection must close after the response being sent. */
  closeAfterResponse = false;
  principal: string | null = null;

  constructor(readonly broker: BrokerAuth) {}

  /** Whether a request with this API key may be served now; false means close the connection. */
  allows(apiKey: number): boolean {
    if (this.state === 'authenticated') return true;
    if (this.state === 'exchanging') return apiKey === ApiKey.SaslAuthenticate;
    return this.broker.mode !== 'required' || beforeAuthentication.has(apiKey);
  }

  /** True when the next frame is a bare SASL token (after SaslHandshake v0). */
  get expectsBareToken(): boolean {
    return this.state === 'exchanging' && this.bareTokens;
  }

  /** SaslHandshake: picks the mechanism. Returns the error code to answer. */
  handshake(mechanism: string, apiVersion: number): number {
    if (this.broker.mode === 'none') return ErrorCode.ILLEGAL_SASL_STATE;
    if (this.state !== 'initial') {
      this.closeAfterResponse = true;
      return ErrorCode.ILLEGAL_SASL_STATE;
    }
    const exchange = this.broker.newExchange(mechanism);
    if (exchange === null) {
      this.closeAfterResponse = true;
      return ErrorCode.UNSUPPORTED_SASL_MECHANISM;
    }
    this.exchange = exchange;
    this.bareTokens = apiVersion === 0;
    this.state = 'exchanging';
    return ErrorCode.NONE;
  }

  /** One client token (SaslAuthenticate's auth_bytes, or a bare frame after handshake v0). */
  authenticate(token: Buffer, bare: boolean): AuthenticateOutcome {
    const refuse = (errorCode: number, errorMessage: string): AuthenticateOutcome => {
      this.closeAfterResponse = true;
      this.exchange = null;
      return { errorCode, errorMessage, bytes: Buffer.alloc(0) };
    };
    if (this.broker.mode === 'none') return { errorCode: ErrorCode.ILLEGAL_SASL_STATE, errorMessage: 'SASL is not enabled on this listener', bytes: Buffer.alloc(0) };
    if (this.state !== 'exchanging' || this.exchange === null || this.bareTokens !== bare) {
      return refuse(ErrorCode.ILLEGAL_SASL_STATE, 'unexpected SASL token: send SaslHandshake first');
    }
    const mechanism = this.exchange.mechanism;
    if (token.length === 0 || token.length > maxSaslTokenBytes) {
      return refuse(ErrorCode.SASL_AUTHENTICATION_FAILED, `Authentication failed: SASL token must be 1 to ${maxSaslTokenBytes} bytes (${mechanism})`);
    }
    let step;
    try {
      step = this.exchange.step(token);
    } catch {
      // The exchanges refuse by returning; a throw is a bug, and still must not end the connection badly.
      return refuse(ErrorCode.SASL_AUTHENTICATION_FAILED, `Authentication failed: could not process the ${mechanism} message`);
    }
    if (step.kind === 'failure') return refuse(ErrorCode.SASL_AUTHENTICATION_FAILED, step.reason);
    if (step.kind === 'challenge') return { errorCode: ErrorCode.NONE, errorMessage: null, bytes: step.bytes };
    this.state = 'authenticated';
    this.exchange = null;
    this.principal = step.principal;
    return { errorCode: ErrorCode.NONE, errorMessage: null, bytes: step.bytes, principal: step.principal };
  }

  get mechanism(): string | null {
    return this.exchange?.mechanism ?? null;
  }
}
