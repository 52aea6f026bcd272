// The certificate (電子証書) of API.md: the content of the paper 保証証書 (seeds 003, 004) as data,
// one snapshot per version. Version 1 is 新規; each change (変更) makes version n+1 labelled
// 変更1, 変更2 …; corrections replace a version's content without a history entry; a cancelled
// guarantee keeps its versions and says so. Pure: the services fill it from the database.
import { type GuaranteeKind, labels } from "./terms.ts";

export const versionReasons = ["new", "change", "correction", "cancel"] as const;
export type VersionReason = (typeof versionReasons)[number];

export interface Certificate {
  contractNumber: string;
  kind: GuaranteeKind;
  kindLabel: string;
  version: number;
  versionLabel: string;
  status: "active" | "cancelled";
  /** 電子保証発行日時 of this version (ISO 8601 with offset). */
  issuedAt: string;
  contractor: { name: string; address: string };
  /** 被保証者 as the contractor's form printed it (e.g. 国土交通省近畿地方整備局長). */
  beneficiary: string;
  projectName: string;
  contractPrice: number;
  amount: number;
  periodFrom: string;
  periodTo: string;
  /** 保証期限: the end of the works period unless a change says otherwise. */
  guaranteeUntil: string;
  depositBank: string | null;
  guarantor: { id: string; name: string; branch: string; tel: string | null; fax: string | null };
}

/** What a version's row stores: the certificate minus what the guarantee row already knows. */
export type CertificateContent = Omit<
  Certificate,
  "contractNumber" | "kind" | "kindLabel" | "version" | "versionLabel" | "status" | "issuedAt"
>;

/** 新規 for version 1; 変更N for the Nth change (N = version − 1). */
export function versionLabel(version: number): string {
  return version <= 1 ? "新規" : `変更${version - 1}`;
}

export function certificateOf(
  guarantee: { contractNumber: string; kind: GuaranteeKind; status: "active" | "cancelled" },
  version: { version: number; issuedAt: string; content: CertificateContent },
): Certificate {
  return {
    contractNumber: guarantee.contractNumber,
    kind: guarantee.kind,
    kindLabel: labels.guarantee[guarantee.kind],
    version: version.version,
    versionLabel: versionLabel(version.version),
    status: guarantee.status,
    issuedAt: version.issuedAt,
    ...version.content,
  };
}

/** ISO 8601 in Japan's offset (+09:00), as API.md's instants are written. */
export function japanInstant(at: Date): string {
  const shifted = new Date(at.getTime() + 9 * 3600_000);
  return `${shifted.toISOString().slice(0, 19)}+09:00`;
}
