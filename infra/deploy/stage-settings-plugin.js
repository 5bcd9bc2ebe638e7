// @ts-check
/**
 * osls plugin: refuses a package whose stage settings CloudFormation or the functions would only
 * reject later (or worse, accept and misbehave). `custom.stageSettings` (from serverless.yml params):
 *   dashboardAccess     cloudfront | public (infra/serverless/resources/dashboard-hosting.yml)
 *   dashboardWebAclArn  '' or a WAFv2 web ACL of scope CLOUDFRONT (its ARN is in us-east-1, "global/webacl");
 *                       only with cloudfront
 *   databaseSecret      '' or a Secrets Manager secret NAME: the detector's and aggregator's roles are
 *                       granted arn:…:secret:<name>-?????? (the six characters Secrets Manager appends),
 *                       which an ARN in its place would not match
 *   kafkaAuth           none | iam | scram-sha-512 (infra/serverless/resources/function-roles.yml)
 *   kafkaScramSecretArn the full ARN of the cluster's AmazonMSK_ secret: required with scram-sha-512 (the
 *                       triggers' SourceAccessConfigurations need the ARN), refused otherwise
 * It also refuses a function given both DATABASE_URL and DATABASE_SECRET_ID (e.g. a databaseSecret param
 * while the deploying shell has DATABASE_URL): the function would refuse to start.
 * Runs before anything is packaged; the message names the param and how to fix it, never a value of
 * DATABASE_URL (it may hold a password).
 */

const accessModes = ['cloudfront', 'public'];
const webAclPattern = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[A-Za-z0-9_-]{1,128}\/[0-9a-f-]{36}$/;
const secretNamePattern = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
const kafkaAuthKinds = ['none', 'iam', 'scram-sha-512'];
const scramSecretArnPattern = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:secret:AmazonMSK_[A-Za-z0-9/_+=.@-]{1,500}$/;

/**
 * One sentence per problem; empty when the settings may be packaged.
 * @param {Record<string, unknown>} settings
 * @returns {string[]}
 */
export function stageSettingsProblems(settings) {
  const problems = [];
  const text = (/** @type {string} */ name) => (settings[name] === undefined || settings[name] === null ? '' : String(settings[name]));
  const shown = (/** @type {string} */ value) => JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  const access = text('dashboardAccess');
  if (!accessModes.includes(access)) problems.push(`param dashboardAccess must be one of ${accessModes.join(', ')} (got ${shown(access)})`);
  const webAcl = text('dashboardWebAclArn');
  if (webAcl !== '' && !webAclPattern.test(webAcl)) {
    problems.push(`param dashboardWebAclArn must be the ARN of a WAFv2 web ACL with scope CLOUDFRONT, arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id> (got ${shown(webAcl)})`);
  }
  if (webAcl !== '' && access !== 'cloudfront') problems.push('param dashboardWebAclArn needs dashboardAccess cloudfront (a web ACL attaches to the CloudFront distribution)');
  const secret = text('databaseSecret');
  if (secret.startsWith('arn:')) problems.push('param databaseSecret must be the secret\'s name, not its ARN (the roles are granted arn:…:secret:<name>-??????)');
  else if (secret !== '' && !secretNamePattern.test(secret)) problems.push(`param databaseSecret must be a Secrets Manager secret name of letters, digits and /_+=.@- (got ${shown(secret)})`);
  const kafkaAuth = text('kafkaAuth');
  const scramSecret = text('kafkaScramSecretArn');
  if (!kafkaAuthKinds.includes(kafkaAuth)) problems.push(`param kafkaAuth must be one of ${kafkaAuthKinds.join(', ')} (got ${shown(kafkaAuth)})`);
  if (kafkaAuth === 'scram-sha-512' && !scramSecretArnPattern.test(scramSecret)) {
    problems.push(`param kafkaScramSecretArn must be the full ARN of the cluster's Secrets Manager secret, whose name MSK requires to start with AmazonMSK_ (got ${shown(scramSecret)})`);
  }
  if (kafkaAuth !== 'scram-sha-512' && scramSecret !== '') problems.push('param kafkaScramSecretArn is set but kafkaAuth is not scram-sha-512');
  return problems;
}

/**
 * Functions whose environment sets both DATABASE_URL and DATABASE_SECRET_ID, one sentence each.
 * @param {Record<string, { environment?: Record<string, unknown> }>} functions serverless.yml's functions
 * @returns {string[]}
 */
export function functionEnvironmentProblems(functions) {
  const set = (/** @type {unknown} */ value) => typeof value === 'string' && value.trim() !== '';
  return Object.entries(functions)
    .filter(([, fn]) => set(fn.environment?.DATABASE_URL) && set(fn.environment?.DATABASE_SECRET_ID))
    .map(([name]) => `function ${name} would get both DATABASE_URL and DATABASE_SECRET_ID: with param databaseSecret set, leave DATABASE_URL (param databaseUrl) empty`);
}

export default class StageSettingsPlugin {
  /**
   * @param {any} serverless the osls instance
   */
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = {
      'before:package:initialize': () => this.check(),
    };
  }

  check() {
    const problems = [
      ...stageSettingsProblems(this.serverless.service.custom?.stageSettings ?? {}),
      ...functionEnvironmentProblems(this.serverless.service.functions ?? {}),
    ];
    if (problems.length > 0) throw new this.serverless.classes.Error(problems.join('; '), 'STAGE_SETTINGS_INVALID');
  }
}
