/** The threat model, version 1, after validation: every default filled in. */

export const COMPONENT_TYPES = ["actor", "external", "process", "datastore"] as const;
export type ComponentType = (typeof COMPONENT_TYPES)[number];

export const CLASSIFICATIONS = ["public", "internal", "confidential", "secret"] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const STRIDE = [
  "spoofing",
  "tampering",
  "repudiation",
  "information-disclosure",
  "denial-of-service",
  "elevation-of-privilege",
] as const;
export type StrideCategory = (typeof STRIDE)[number];

export const RATINGS = ["very-low", "low", "medium", "high", "very-high"] as const;
export type Rating = (typeof RATINGS)[number];

export const THREAT_STATUSES = [
  "open",
  "investigating",
  "mitigated",
  "accepted",
  "transferred",
  "not-applicable",
] as const;
export type ThreatStatus = (typeof THREAT_STATUSES)[number];

export interface TrustZone {
  id: string;
  name: string;
  description?: string;
  /** 0..100, higher is more trusted; absent when the model does not say. */
  trust?: number;
  parent: string | null;
  /** Code and config that define this zone's edge. */
  paths: string[];
}

export interface Component {
  id: string;
  name: string;
  description?: string;
  type: ComponentType;
  zone: string;
  paths: string[];
  /** Ids of data assets this component handles. */
  data: string[];
  owners: string[];
  reviewed_at?: string;
}

export interface DataAsset {
  id: string;
  name: string;
  description?: string;
  classification: Classification;
}

export interface DataFlow {
  id: string;
  name: string;
  description?: string;
  source: string;
  destination: string;
  protocol?: string;
  data: string[];
  /** Free text; "none" means none. */
  authentication?: string;
  encrypted?: boolean;
  paths: string[];
  reviewed_at?: string;
}

export interface Threat {
  id: string;
  title: string;
  description?: string;
  category?: StrideCategory;
  targets: string[];
  likelihood?: Rating;
  impact?: Rating;
  status: ThreatStatus;
  mitigations: string[];
  ticket?: string;
}

export interface ThreatModel {
  version: 1;
  title: string;
  description?: string;
  reviewed_at?: string;
  champions: string[];
  trust_zones: TrustZone[];
  components: Component[];
  data_assets: DataAsset[];
  data_flows: DataFlow[];
  threats: Threat[];
}

export type ElementKind = "zone" | "component" | "data" | "flow" | "threat";

/** Where each element starts in the model file, for annotations and messages. */
export type ElementLines = Map<string, number>;
