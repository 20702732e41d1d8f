import type { Generated } from 'kysely';

/** Facts about the instance itself, one row per name (e.g. `encryption_key_fingerprint`). */
export interface SettingsTable {
  name: string;
  value: string;
  created_at: Generated<Date>;
}

export interface InstanceTables {
  settings: SettingsTable;
}
