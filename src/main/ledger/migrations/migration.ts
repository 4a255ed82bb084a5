import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  /** SQL; or, for a step SQL alone cannot write (a table rebuilt from its own schema), code. */
  up: string | ((db: BetterSqlite3.Database) => void);
}
