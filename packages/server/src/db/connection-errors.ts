import { ConfigError } from '../config.js';

/**
 * Why PostgreSQL could not be used at start (or by a CLI command), said so that a person can fix it (the CLI prints a
 * ConfigError as one line, never a stack trace). Anything else is returned unchanged.
 */
export function explainConnectionError(error: unknown, url: string): unknown {
  const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  let where: URL;
  try {
    where = new URL(url);
  } catch {
    return error;
  }
  const host = where.hostname || 'localhost';
  const port = where.port || '5432';
  const user = decodeURIComponent(where.username) || 'postgres';
  const database = decodeURIComponent(where.pathname.slice(1)) || user;
  const server = `PostgreSQL at ${host}:${port}`;
  switch (code) {
    case '3D000':
      return new ConfigError(
        `The database "${database}" does not exist on ${server}. Create it, then start again: ` +
          `createdb -h ${host} -p ${port} -U ${user} ${database}   (or in psql: CREATE DATABASE "${database}";)`,
      );
    case 'ECONNREFUSED':
      return new ConfigError(`Nothing answers at ${host}:${port} (connection refused). Start PostgreSQL there, or fix DATABASE_URL.`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new ConfigError(`The host "${host}" of DATABASE_URL is not known. Fix DATABASE_URL.`);
    case 'ETIMEDOUT':
      return new ConfigError(`${server} did not answer in time. Check that it runs and that this machine may reach it.`);
    case '28P01':
    case '28000':
      return new ConfigError(`${server} refused user "${user}": ${(error as Error).message}. Fix the user or password in DATABASE_URL.`);
    case '3F000':
      return new ConfigError(`${server}: ${(error as Error).message}. Create the schema, or fix DATABASE_URL.`);
    default:
      return error;
  }
}
