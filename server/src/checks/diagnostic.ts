import type { Span } from '../syntax/lineIndex';

export type Severity = 'error' | 'warning' | 'information' | 'hint';
export type SeverityOverride = Severity | 'off';

export interface RelatedLocation {
  file: string;
  span: Span;
  message: string;
}

/** What a quick fix may do, computed by the rule that knows (plain data; the editor shell turns it into edits). */
export interface FixData {
  /** Candidate replacements for the diagnostic's range ("did you mean"). */
  replacements?: string[];
  /** Attributes to add to the element (name and a placeholder value). */
  addAttributes?: { name: string; value: string }[];
  /** The range to delete (a duplicate attribute with its leading space). */
  deleteSpan?: Span;
  /** A connection to add to the agent settings file. */
  addConnectionSettings?: { connection: string; packageId?: string };
}

/** One finding of the engine, with offsets into its file. Plain data: no protocol types. */
export interface Diagnostic {
  file: string;
  span: Span;
  severity: Severity;
  code: string;
  message: string;
  related?: RelatedLocation[];
  fix?: FixData;
}

export function applySeverityOverrides(diagnostics: Diagnostic[], overrides: Record<string, SeverityOverride>): Diagnostic[] {
  if (Object.keys(overrides).length === 0) return diagnostics;
  const result: Diagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const override = overrides[diagnostic.code];
    if (override === 'off') continue;
    result.push(override ? { ...diagnostic, severity: override } : diagnostic);
  }
  return result;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function severityRank(severity: Severity): number {
  return RANK[severity];
}
