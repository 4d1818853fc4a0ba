import type { FileModel } from './fileModel';

/**
 * What other files' diagnostics can depend on in a file: its declarations (with the attributes of declaring
 * elements, which navigation, contexts and agents are read from), its job structure and its scaffoldings.
 * When an edit leaves this unchanged, only the edited file needs re-checking.
 */
export function crossFileSignature(model: FileModel): string {
  const parts: string[] = [String(model.isConfiguration)];
  for (const decl of model.declarations) {
    const attributes = decl.element.attributes.filter((a) => !/_L\d+$/.test(a.name)).map((a) => `${a.name}=${a.value ?? ''}`);
    parts.push(`D ${decl.kind} ${decl.name} ${decl.consolidation ?? ''} ${attributes.join(' ')}`);
  }
  for (const { task, job } of model.inlineTaskJobs) parts.push(`I ${task} ${job}`);
  for (const { task, job } of model.steps) parts.push(`S ${task} ${job}`);
  for (const dependency of model.dependencies) parts.push(`T ${dependency.task ?? ''} ${dependency.parentTask}`);
  for (const element of model.scaffoldings) parts.push(`G ${element.name} ${element.attributes.map((a) => `${a.name}=${a.value ?? ''}`).join(' ')}`);
  for (const ref of model.references) if (ref.kinds.includes('Task')) parts.push(`R ${ref.element.name} ${ref.name}`);
  return parts.join('\n');
}
