import { DASHBOARD_SCHEMA, type AnomalyCard, type RealtimeSnapshot, type RecentLog } from '../../../functions/dashboard-publisher/dashboard-data.js';
import { Shape, type Json } from './shape.js';

/** Checks data/realtime.json and returns it typed (only the fields the page reads); throws DataError. */
export function checkRealtime(value: Json, source: string): RealtimeSnapshot {
  const shape = new Shape(source);
  const root = shape.header(value, 'realtime', DASHBOARD_SCHEMA);
  const totals = shape.object(root.totals, 'totals');
  const model = root.model === null ? null : shape.object(root.model, 'model');
  const training = shape.object(root.training, 'training');
  return {
    schema: DASHBOARD_SCHEMA,
    kind: 'realtime',
    generatedAt: shape.string(root.generatedAt, 'generatedAt'),
    windowMinutes: shape.number(root.windowMinutes, 'windowMinutes'),
    totals: {
      logs: shape.number(totals.logs, 'totals.logs'),
      anomalies: shape.number(totals.anomalies, 'totals.anomalies'),
      anomalyRate: shape.number(totals.anomalyRate, 'totals.anomalyRate'),
      activeServices: shape.number(totals.activeServices, 'totals.activeServices'),
      deadLetters: shape.number(totals.deadLetters, 'totals.deadLetters'),
    },
    levels: shape.array(root.levels, 'levels', 100).map((item, i) => {
      const level = shape.object(item, `levels[${i}]`);
      return { level: shape.string(level.level, `levels[${i}].level`), count: shape.number(level.count, `levels[${i}].count`) };
    }),
    services: shape.array(root.services, 'services', 100).map((item, i) => {
      const service = shape.object(item, `services[${i}]`);
      return {
        service: shape.string(service.service, `services[${i}].service`),
        logs: shape.number(service.logs, `services[${i}].logs`),
        anomalies: shape.number(service.anomalies, `services[${i}].anomalies`),
      };
    }),
    timeline: shape.array(root.timeline, 'timeline', 1440).map((item, i) => {
      const point = shape.object(item, `timeline[${i}]`);
      return {
        minute: shape.string(point.minute, `timeline[${i}].minute`),
        logs: shape.number(point.logs, `timeline[${i}].logs`),
        anomalies: shape.number(point.anomalies, `timeline[${i}].anomalies`),
      };
    }),
    recentAnomalies: shape.array(root.recentAnomalies, 'recentAnomalies', 1000).map((item, i) => checkAnomaly(shape, item, `recentAnomalies[${i}]`)),
    recentLogs: shape.array(root.recentLogs, 'recentLogs', 5000).map((item, i) => checkLog(shape, item, `recentLogs[${i}]`)),
    model:
      model === null
        ? null
        : {
            version: shape.string(model.version, 'model.version'),
            trainedAt: shape.string(model.trainedAt, 'model.trainedAt'),
            threshold: shape.number(model.threshold, 'model.threshold'),
            trainingRows: shape.number(model.trainingRows, 'model.trainingRows'),
            provisional: shape.boolean(model.provisional, 'model.provisional'),
          },
    training: {
      trainingWindow: shape.number(training.trainingWindow, 'training.trainingWindow'),
      firstTrainingWindow: shape.number(training.firstTrainingWindow, 'training.firstTrainingWindow'),
      storedTowardFirst: shape.numberOrNull(training.storedTowardFirst, 'training.storedTowardFirst'),
    },
  };
}

function checkAnomaly(shape: Shape, value: Json, path: string): AnomalyCard {
  const card = shape.object(value, path);
  const features: Record<string, number> = {};
  for (const [name, feature] of Object.entries(shape.object(card.features, `${path}.features`))) {
    features[name] = shape.number(feature, `${path}.features.${name}`);
  }
  return {
    logId: shape.string(card.logId, `${path}.logId`),
    ts: shape.string(card.ts, `${path}.ts`),
    detectedAt: shape.string(card.detectedAt, `${path}.detectedAt`),
    service: shape.string(card.service, `${path}.service`),
    level: shape.string(card.level, `${path}.level`),
    message: shape.string(card.message, `${path}.message`),
    host: shape.stringOrNull(card.host, `${path}.host`),
    experimentId: shape.stringOrNull(card.experimentId, `${path}.experimentId`),
    score: shape.number(card.score, `${path}.score`),
    threshold: shape.number(card.threshold, `${path}.threshold`),
    modelVersion: shape.string(card.modelVersion, `${path}.modelVersion`),
    features,
    contributions: shape.array(card.contributions, `${path}.contributions`, 100).map((item, i) => {
      const contribution = shape.object(item, `${path}.contributions[${i}]`);
      return {
        feature: shape.string(contribution.feature, `${path}.contributions[${i}].feature`),
        contribution: shape.number(contribution.contribution, `${path}.contributions[${i}].contribution`),
      };
    }),
  };
}

function checkLog(shape: Shape, value: Json, path: string): RecentLog {
  const log = shape.object(value, path);
  return {
    logId: shape.string(log.logId, `${path}.logId`),
    ts: shape.string(log.ts, `${path}.ts`),
    service: shape.string(log.service, `${path}.service`),
    level: shape.string(log.level, `${path}.level`),
    message: shape.string(log.message, `${path}.message`),
    host: shape.stringOrNull(log.host, `${path}.host`),
    anomalous: shape.boolean(log.anomalous, `${path}.anomalous`),
    score: shape.numberOrNull(log.score, `${path}.score`),
  };
}
