import type { GeneratorConfig } from './generator-config.js';

/**
 * The built-in workload: six services of a small shop. Template weights give each service about
 * 12% DEBUG, 70% INFO, 11% WARN and 7% ERROR; no FATAL in normal traffic. Usual hours (UTC) are
 * when each service logs normally; 02:00–05:00 is outside all of them, which is where temporal
 * anomalies are placed.
 */
export const DEFAULT_GENERATOR_CONFIG: GeneratorConfig = {
  unusualHours: { fromHour: 2, toHour: 5 },
  services: [
    {
      name: 'api-gateway',
      weight: 30,
      usualHours: { fromHour: 6, toHour: 24 },
      hosts: ['api-gateway-7d9f8c6b5-x2k9p', 'api-gateway-7d9f8c6b5-m4q7t', 'api-gateway-7d9f8c6b5-r8w3z'],
      templates: [
        { level: 'DEBUG', weight: 12, text: 'Routing {method} {path} to upstream (request {requestId})' },
        { level: 'INFO', weight: 55, text: '{method} {path} {status} {durationMs}ms client={ip}' },
        { level: 'INFO', weight: 15, text: 'Rate limiter allowed client {ip}: {count} requests in window' },
        { level: 'WARN', weight: 7, text: 'Slow upstream response for {method} {path}: {durationMs}ms' },
        { level: 'WARN', weight: 4, text: 'Client {ip} throttled: {count} requests in the last minute' },
        { level: 'ERROR', weight: 5, text: '{method} {path} {errorStatus} upstream error after {durationMs}ms' },
        { level: 'ERROR', weight: 2, text: 'Upstream {upstream} connection timeout after {durationMs}ms' },
      ],
    },
    {
      name: 'user-service',
      weight: 18,
      usualHours: { fromHour: 7, toHour: 23 },
      hosts: ['user-service-5c8d7f9b4-a1b2c', 'user-service-5c8d7f9b4-d3e4f'],
      templates: [
        { level: 'DEBUG', weight: 12, text: 'Loaded profile for user {userId} from cache in {durationMs}ms' },
        { level: 'INFO', weight: 35, text: 'User {userId} logged in from {ip}' },
        { level: 'INFO', weight: 20, text: 'User {userId} updated profile fields ({quantity} changes)' },
        { level: 'INFO', weight: 15, text: 'Session {sessionId} created for user {userId}' },
        { level: 'WARN', weight: 11, text: 'Password reset requested for user {userId} ({email}), retry {attempt}' },
        { level: 'ERROR', weight: 7, text: 'Failed to load user {userId}: {upstream} query error after {durationMs}ms' },
      ],
    },
    {
      name: 'payment-service',
      weight: 14,
      usualHours: { fromHour: 8, toHour: 22 },
      hosts: ['payment-service-6f7c9d8b4-k7m2n', 'payment-service-6f7c9d8b4-p9q4r'],
      templates: [
        { level: 'DEBUG', weight: 12, text: 'Authorising {amount} {currency} for order {orderId} via {upstream}' },
        { level: 'INFO', weight: 45, text: 'Payment of {amount} {currency} captured for order {orderId} in {durationMs}ms' },
        { level: 'INFO', weight: 25, text: 'Refund of {amount} {currency} issued for order {orderId}' },
        { level: 'WARN', weight: 11, text: 'Payment provider slow for order {orderId}: {durationMs}ms, retry {attempt}' },
        { level: 'ERROR', weight: 7, text: 'Payment declined for order {orderId}: provider returned {errorStatus}' },
      ],
    },
    {
      name: 'inventory-service',
      weight: 14,
      usualHours: { fromHour: 7, toHour: 21 },
      hosts: ['inventory-service-8b6d5c7f9-s5t6u', 'inventory-service-8b6d5c7f9-v7w8x'],
      templates: [
        { level: 'DEBUG', weight: 12, text: 'Stock lookup for {sku} in {region} took {durationMs}ms' },
        { level: 'INFO', weight: 40, text: 'Reserved {quantity} units of {sku} for order {orderId}' },
        { level: 'INFO', weight: 30, text: 'Stock level of {sku} updated to {count} units' },
        { level: 'WARN', weight: 11, text: 'Stock of {sku} low: {quantity} units left in {region}' },
        { level: 'ERROR', weight: 7, text: 'Could not reserve {sku} for order {orderId}: insufficient stock' },
      ],
    },
    {
      name: 'notification-service',
      weight: 12,
      usualHours: { fromHour: 8, toHour: 23 },
      hosts: ['notification-service-4a5b6c7d8-y9z0a', 'notification-service-4a5b6c7d8-b1c2d'],
      templates: [
        { level: 'DEBUG', weight: 12, text: 'Rendering {channel} template {version} for user {userId}' },
        { level: 'INFO', weight: 50, text: 'Sent {channel} notification to user {userId} in {durationMs}ms' },
        { level: 'INFO', weight: 20, text: 'Queued {count} {channel} notifications for delivery' },
        { level: 'WARN', weight: 11, text: 'Delivery of {channel} to {email} deferred, retry {attempt} of 5' },
        { level: 'ERROR', weight: 7, text: 'Failed to deliver {channel} notification to user {userId}: {upstream} returned {errorStatus}' },
      ],
    },
    {
      name: 'auth-service',
      weight: 12,
      usualHours: { fromHour: 6, toHour: 24 },
      hosts: ['auth-service-9e8f7a6b5-e3f4g', 'auth-service-9e8f7a6b5-h5i6j'],
      templates: [
        { level: 'DEBUG', weight: 12, text: 'Validated token signature for session {sessionId} in {durationMs}ms' },
        { level: 'INFO', weight: 45, text: 'Issued access token for user {userId} from {ip}' },
        { level: 'INFO', weight: 25, text: 'Refreshed token for session {sessionId}' },
        { level: 'WARN', weight: 11, text: 'Invalid password attempt {attempt} for user {userId} from {ip}' },
        { level: 'ERROR', weight: 7, text: 'Token validation error for session {sessionId}: {errorStatus}' },
      ],
    },
  ],
};
