/** The shape of one schema migration. */

/**
 * One numbered schema step. `version` is the `PRAGMA user_version` the
 * database has after `sql` ran; versions are consecutive from 1.
 */
export interface Migration {
  readonly version: number;
  /** `NNNN-name`, matching the file that defines it. */
  readonly name: string;
  readonly sql: string;
}
