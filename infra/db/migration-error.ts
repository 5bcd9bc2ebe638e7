import { PipelineError } from '../../functions/shared/errors.js';

/**
 * The migrations on disk and the ones recorded in the database disagree (a changed or missing
 * applied migration, a bad file name), or a migration failed and was rolled back.
 */
export class MigrationError extends PipelineError {}
