// The API's answers as the pages read them (API.md and GET /api/v1/openapi.json).

import type { Certificate } from "../../edge/domain/certificate.ts";
import type { StoredDraft } from "./application-form.ts";

export interface Warning {
  field: string;
  code: string;
  message: string;
}

export interface IssuedRef {
  contractNumber: string;
  kind: string;
}

export interface ApplicationView {
  id: string;
  status: "draft" | "submitted" | "issued" | "rejected";
  statusLabel: string;
  version: number;
  application: StoredDraft;
  agency: { id: string; name: string } | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  rejectionReason: string | null;
  warnings: Warning[];
  /** Once issued. */
  guarantees?: IssuedRef[];
  /** The desk's view adds the company. */
  company?: { id: string; name: string; address: string; representative: string; status: string };
}

export interface ApplicationSummary {
  id: string;
  status: ApplicationView["status"];
  statusLabel: string;
  projectName: string | null;
  agency: { id: string; name: string } | null;
  contractPrice: number | null;
  guarantees: { kind: string | null; kindLabel: string | null; amount: number | null; delivery: string | null }[];
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  rejectionReason: string | null;
  company?: { id: string; name: string };
}

/** API.md `Certificate`, as the API answers it (one type with the API's own). */
export type { Certificate };

export interface CertificateVersion {
  version: number;
  label: string;
  issuedAt: string;
  reason: string | null;
}

export interface GuaranteeView {
  certificate: Certificate;
  versions: CertificateVersion[];
  agencyViewedAt: string | null;
  applicationId?: string;
  delivery?: "electronic" | "paper";
  /** Only in a mailed link's answer. */
  authKey?: string | null;
}

export interface Guarantors {
  items: { id: string; name: string; branches: { id: string; name: string }[] }[];
}
