// Imports nothing: test/support/globalSetup.ts loads it outside Jest's module system.

/**
 * The hosts of a MongoDB connection string, safe to print: no user, password,
 * database or options. Cuts at the last `@` anywhere, so even a password with
 * an unescaped `/` or `?` never shows.
 * @internal Exported for its own tests; the app uses it here.
 */
export function mongoHosts(uri: string): string {
  const afterScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const afterCredentials = afterScheme.slice(afterScheme.lastIndexOf('@') + 1);
  return afterCredentials.split(/[/?]/, 1)[0] || '(no host)';
}

/** A library's message on one line: some put details after a line break. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function withoutCredentials(text: string, uri: string): string {
  const afterScheme = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const at = afterScheme.lastIndexOf('@');
  if (at < 0) return text;
  const userinfo = afterScheme.slice(0, at);
  const password = userinfo.slice(userinfo.indexOf(':') + 1);
  const secrets = [userinfo, password, safeDecode(password)].filter((s) => s.length > 0);
  return secrets.reduce((t, secret) => t.split(secret).join('***'), text);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** One line for whoever starts the app or the tests: which server, why, and what to do. */
export function databaseUnreachableMessage(uri: string, reason?: string): string {
  const why = reason ? ` (${withoutCredentials(oneLine(reason), uri)})` : '';
  return (
    `Cannot reach MongoDB at ${mongoHosts(uri)} from MONGODB_URI${why}. ` +
    'Start that server, set MONGODB_URI to one that runs, leave MONGODB_URI empty for an embedded MongoDB, ' +
    'or run `source scripts/ferretdb.sh` first.'
  );
}

/**
 * One line for a server that answered but refused, e.g. a wrong password.
 * @internal `npm test` says it (test/support/globalSetup.ts) when MONGODB_URI refuses the connection.
 */
export function databaseRefusedMessage(uri: string, reason: string): string {
  return `MongoDB at ${mongoHosts(uri)} from MONGODB_URI refused the connection (${withoutCredentials(oneLine(reason), uri)}). Check the user, password and options in MONGODB_URI.`;
}

/** A host name in MONGODB_URI that DNS does not know (a mongodb+srv:// cluster's SRV record, typically). */
export function isHostNotFound(error: unknown): boolean {
  const e = error as { code?: unknown; syscall?: unknown; message?: unknown } | undefined;
  return (
    ['ENOTFOUND', 'EAI_AGAIN', 'ESERVFAIL', 'ENODATA'].includes(String(e?.code)) ||
    (typeof e?.message === 'string' && /^query(Srv|Txt) /.test(e.message))
  );
}

/** One line for a MONGODB_URI whose host name does not resolve. */
export function databaseNotFoundMessage(uri: string, reason: string): string {
  return (
    `Cannot find MongoDB at ${mongoHosts(uri)} from MONGODB_URI (${withoutCredentials(oneLine(reason), uri)}): that host name does not resolve. ` +
    'Check the host name in MONGODB_URI (for Atlas, copy the connection string again from Connect → Drivers) and this machine’s network and DNS.'
  );
}

/**
 * One line for a PORT another program (often a second instance of the app) is already listening on, or that needs
 * privileges.
 */
export function portUnavailableMessage(port: number, code: string | undefined): string {
  if (code === 'EACCES')
    return `Port ${port} needs privileges this user does not have. Set PORT to a port from 1024 up, e.g. 3000.`;
  return `Port ${port} is already in use, perhaps by another instance of the app. Stop that one, or set PORT to a free port.`;
}
