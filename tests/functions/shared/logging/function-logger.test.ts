import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../functions/shared/errors.js';
import { createFunctionLogger } from '../../../../functions/shared/logging/function-logger.js';
import { captureOutput, type CapturedOutput } from '../../../helpers/captured-output.js';

const context = { awsRequestId: 'req-1', functionName: 'log-anomaly-detection-dev-producer', memoryLimitInMB: '256', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:log-anomaly-detection-dev-producer' };

describe('createFunctionLogger (Powertools Logger)', () => {
  let output: CapturedOutput | null = null;
  afterEach(() => output?.restore());

  it('writes one JSON object per line with service, component, level, timestamp and the invocation context', () => {
    // Prepare
    output = captureOutput();
    const logger = createFunctionLogger('producer', {});

    // Act
    logger.startInvocation(context);
    logger.info('first', { sent: 3 });
    logger.startInvocation({ ...context, awsRequestId: 'req-2' });
    logger.warn('second');

    // Assess
    const lines = output.jsonLines();
    expect(lines).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'first', service: 'log-anomaly-detection', component: 'producer', function_request_id: 'req-1', function_name: context.functionName, sent: 3, timestamp: expect.any(String) }),
      expect.objectContaining({ level: 'WARN', message: 'second', function_request_id: 'req-2' }),
    ]);
  });

  it('writes the handlers\' { level, message, ...fields } lines at their level', () => {
    // Prepare
    output = captureOutput();
    const logger = createFunctionLogger('metrics-aggregator', {});

    // Act
    logger.line({ level: 'INFO', message: 'metrics batch', records: 4 });
    logger.line({ level: 'WARN', message: 'dashboard publication failed', component: 'dashboard-publisher' });
    logger.line({ level: 'ERROR', message: 'metrics batch failed', stage: 'store-metrics' });
    logger.line({ records: 1 });

    // Assess
    expect(output.jsonLines().map((line) => [line.level, line.message, line.component])).toEqual([
      ['INFO', 'metrics batch', 'metrics-aggregator'],
      ['WARN', 'dashboard publication failed', 'dashboard-publisher'],
      ['ERROR', 'metrics batch failed', 'metrics-aggregator'],
      ['INFO', 'log line', 'metrics-aggregator'],
    ]);
  });

  it('takes its level from POWERTOOLS_LOG_LEVEL', () => {
    // Prepare
    output = captureOutput();
    const quiet = createFunctionLogger('producer', { POWERTOOLS_LOG_LEVEL: 'error' });
    const silent = createFunctionLogger('producer', { POWERTOOLS_LOG_LEVEL: 'SILENT' });

    // Act
    quiet.info('dropped');
    quiet.error('kept');
    silent.error('dropped too');

    // Assess
    expect(output.jsonLines().map((line) => line.message)).toEqual(['kept']);
  });

  it('refuses an unknown level instead of logging at INFO', () => {
    // Act, Assess
    expect(() => createFunctionLogger('producer', { POWERTOOLS_LOG_LEVEL: 'loud' })).toThrow(ConfigError);
  });
});
