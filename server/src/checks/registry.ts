import type { FileRule, Rule, SetRule, SettingsRule } from './rule';
import { duplicateAttribute } from './rules/duplicateAttribute';
import { duplicateIdentifier } from './rules/duplicateIdentifier';
import { invalidJson } from './rules/invalidJson';
import { invalidValue } from './rules/invalidValue';
import { missingAttribute } from './rules/missingAttribute';
import { missingConnectionSettings } from './rules/missingConnectionSettings';
import { overrideMismatch } from './rules/overrideMismatch';
import { secretInClear } from './rules/secretInClear';
import { settingsUnknownAgent, settingsUnknownDefaultClient, settingsUnknownOpenIdClient, unusedConnectionSettings } from './rules/settingsReferences';
import { taskDependencyCycle } from './rules/taskDependencyCycle';
import { taskNotInJob } from './rules/taskNotInJob';
import { unknownAttribute } from './rules/unknownAttribute';
import { unknownElement } from './rules/unknownElement';
import { unresolvedBinding } from './rules/unresolvedBinding';
import { unresolvedReference } from './rules/unresolvedReference';
import { xmlSyntax } from './rules/xmlSyntax';

/** Every rule, in the order their diagnostics are listed. Adding a rule: one file in rules/, one line here, one test. */
export const RULES: readonly Rule[] = [
  xmlSyntax,
  duplicateAttribute,
  unknownElement,
  unknownAttribute,
  missingAttribute,
  invalidValue,
  duplicateIdentifier,
  unresolvedReference,
  unresolvedBinding,
  taskNotInJob,
  taskDependencyCycle,
  overrideMismatch,
  missingConnectionSettings,
  invalidJson,
  settingsUnknownAgent,
  settingsUnknownDefaultClient,
  settingsUnknownOpenIdClient,
  unusedConnectionSettings,
  secretInClear,
];

export const FILE_RULES = RULES.filter((r): r is FileRule => r.scope === 'file');
export const SET_RULES = RULES.filter((r): r is SetRule => r.scope === 'set');
export const SETTINGS_RULES = RULES.filter((r): r is SettingsRule => r.scope === 'settings');

/** Codes reported by the engine itself rather than by a rule. */
export const ENGINE_CODES = { unreadableFile: 'unreadable-file', fileTooLarge: 'file-too-large', encoding: 'file-encoding' } as const;
