/** Types of stage-settings-plugin.js (plain JavaScript so that osls loads it without a TypeScript loader). */
export declare function stageSettingsProblems(settings: Record<string, unknown>): string[];
export declare function functionEnvironmentProblems(functions: Record<string, { environment?: Record<string, unknown> }>): string[];

export default class StageSettingsPlugin {
  constructor(serverless: unknown);
  check(): void;
}
