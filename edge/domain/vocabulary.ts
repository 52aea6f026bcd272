// The closed vocabularies as zod enums, for the API and the content schemas. The plain arrays,
// types and Japanese labels live in terms.ts (zod-free, for browser bundles).
import { z } from "zod";
import * as t from "./terms.ts";

export {
  adoptionStatuses,
  agencyKinds,
  bases,
  electronicGuaranteeKinds,
  guaranteeKinds,
  guarantorIds,
  issuers,
  labels,
  workTypes,
} from "./terms.ts";

export const GuaranteeKind = z.enum(t.guaranteeKinds);
export type GuaranteeKind = t.GuaranteeKind;
export const ElectronicGuaranteeKind = z.enum(t.electronicGuaranteeKinds);
export type ElectronicGuaranteeKind = t.ElectronicGuaranteeKind;
export const WorkType = z.enum(t.workTypes);
export type WorkType = t.WorkType;
export const Issuer = z.enum(t.issuers);
export type Issuer = t.Issuer;
export const GuarantorId = z.enum(t.guarantorIds);
export type GuarantorId = t.GuarantorId;
export const AgencyKind = z.enum(t.agencyKinds);
export type AgencyKind = t.AgencyKind;
export const AdoptionStatus = z.enum(t.adoptionStatuses);
export type AdoptionStatus = t.AdoptionStatus;
export const Basis = z.enum(t.bases);
export type Basis = t.Basis;
