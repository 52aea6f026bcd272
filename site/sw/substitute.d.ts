// Types for substitute.js, which stays plain JS because the build inlines it into the service worker.

/** What an unknown agency's page shows that differs from one agency to the next. */
export type AgencyFields = {
  id: string;
  name: string;
  kana: string;
  kindLabel: string;
  prefectureName: string | null;
  prefecturePath: string | null;
  website: string | null;
};

/**
 * /offline-agencies.json: column per field (one row per unknown agency, small repeated values as
 * indexes into `kinds`, `prefectures` and `variants`), which gzips to a fraction of the rows as objects.
 */
export interface OfflineTable {
  format: 1;
  /** Template names, indexed by `agencies.variant`. */
  variants: string[];
  /** Kind labels (市, 町, 都道府県, …), indexed by `agencies.kind`. */
  kinds: string[];
  /** [name, page path], indexed by `agencies.prefecture`; -1 for none. */
  prefectures: [name: string, path: string][];
  agencies: {
    id: string[];
    variant: number[];
    kind: number[];
    prefecture: number[];
    name: string[];
    kana: string[];
    website: (string | null)[];
  };
  /** Template HTML by variant; empty as the endpoint writes it, filled in by the build's service-worker step. */
  templates: Record<string, string>;
}

export const OFFLINE_TABLE_PATH: string;
export const TEMPLATE_PAGE_PREFIX: string;
export function placeholder(field: keyof AgencyFields): string;
export function escapeText(value: string): string;
export function escapeAttribute(value: string): string;
export function fillTemplate(template: string, fields: Readonly<Record<string, string | null>>): string;
export function agencyFields(table: OfflineTable, index: number): AgencyFields;
export function offlinePage(table: OfflineTable, id: string): string | null;
