/**
 * Imported first by the command-line tools: the pinned AWS SDK runs on Node 20, and its notice that
 * releases after January 2027 will need Node 22 is noise on every run (package.json pins the SDK).
 * An explicit setting in the environment wins.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
