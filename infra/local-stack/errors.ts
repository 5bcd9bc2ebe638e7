import { LocalServicesError } from '../local-services/errors.js';

/** The whole-stack launcher failed on purpose-made grounds (the message is for people). */
export class LocalStackError extends LocalServicesError {}
