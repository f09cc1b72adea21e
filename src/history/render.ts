/**
 * `flagops history` as text, Markdown or JSON. Titles, subjects and names come from GitLab and git, that is from
 * anyone who can open a merge request: control characters are replaced in text (no terminal escapes) and Markdown
 * cells are escaped.
 */
import type { Finding } from '../model/finding.js';
import { describeState, type FlagState } from '../model/state.js';
import { formatUtc } from '../util/duration.js';
import type { EnvironmentHistory, FlagHistory, HistoryEntry, HistoryResult } from './types.js';

/** The JSON output's version (history-schema.ts). */
export const HISTORY_VERSION = 1;

const plain = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');

function stateText(state: FlagState | null | undefined, defaultEnabled: boolean): string {
  return state === undefined ? '?' : describeState(state ?? undefined, defaultEnabled);
}

function envLabel(e: EnvironmentHistory): string {
  return e.instance !== undefined ? `${e.environment} (${e.instance})` : e.environment;
}

/** `off → 25% of actors`, or the state alone for the first record. */
function transition(entry: HistoryEntry, defaultEnabled: boolean): string {
  const after = stateText(entry.state, defaultEnabled);
  return entry.previous === undefined ? after : `${stateText(entry.previous, defaultEnabled)} → ${after}`;
}

function who(entry: HistoryEntry): string {
  const mr = entry.mergeRequest;
  const parts: string[] = [];
  const author = mr?.author ?? entry.change?.author;
  if (author) parts.push(`by ${author}`);
  if (mr?.mergedBy) parts.push(`merged by ${mr.mergedBy}`);
  return parts.join(', ');
}

function recordText(entry: HistoryEntry): string {
  const r = entry.record;
  if (r.source === 'state-file') return 'state file';
  const status = r.status === 'success' ? '' : ` ${r.status}`;
  return `deployment #${r.id ?? '?'}${status}${r.deployer ? ` by ${r.deployer}` : ''}`;
}

function entryLine(entry: HistoryEntry, defaultEnabled: boolean): string {
  const when = formatUtc(new Date(entry.appliedAt));
  if (!entry.verified) {
    return `${when}  unverified: applied ${entry.record.sha?.slice(0, 8) ?? '?'}, a commit not in this clone (${recordText(entry)})`;
  }
  const commit = entry.change?.sha ?? entry.record.sha;
  const mr = entry.mergeRequest;
  const parts = [
    transition(entry, defaultEnabled),
    commit ? commit.slice(0, 8) : '',
    mr ? `!${mr.iid} ${mr.title}` : (entry.change?.subject ?? ''),
    who(entry),
    `(${recordText(entry)})`,
  ].filter((p) => p !== '');
  return `${when}  ${parts.join('  ')}`;
}

function liveText(e: EnvironmentHistory, defaultEnabled: boolean): string[] {
  if (e.liveInstances) return Object.entries(e.liveInstances).map(([i, s]) => `live (${i}): ${stateText(s, defaultEnabled)}`);
  return e.live !== undefined ? [`live: ${stateText(e.live, defaultEnabled)}`] : [];
}

export function renderHistoryText(result: HistoryResult, options: { quiet?: boolean } = {}): string {
  const lines: string[] = [];
  for (const flag of result.flags) {
    lines.push(`${flag.flag}  ${flag.file}`);
    for (const e of flag.environments) {
      lines.push(`  ${envLabel(e)}`);
      if (!e.recorded) lines.push('    no records (nothing records applies here)');
      else if (e.entries.length === 0) lines.push('    no state applied');
      for (const entry of e.entries) lines.push(`    ${plain(entryLine(entry, flag.defaultEnabled))}`);
      for (const l of liveText(e, flag.defaultEnabled)) lines.push(`    ${l}`);
    }
  }
  const notes = result.findings.filter((f) => !options.quiet || f.severity !== 'info');
  for (const f of notes) lines.push(`${f.severity}: ${plain(f.message)}${f.hint ? `\n  hint: ${plain(f.hint)}` : ''}`);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

const cell = (text: string): string =>
  plain(text).replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/`/g, "'");

export function renderHistoryMarkdown(result: HistoryResult): string {
  const lines = ['## Feature flag history', ''];
  for (const flag of result.flags) {
    lines.push(`### \`${cell(flag.flag)}\``, '');
    for (const e of flag.environments) {
      lines.push(`**${cell(envLabel(e))}**`, '');
      if (!e.recorded || e.entries.length === 0) {
        lines.push(e.recorded ? 'No state applied.' : 'No records: nothing records applies here.', '');
      } else {
        lines.push('| applied | state | commit | merge request | by | record |', '|---|---|---|---|---|---|');
        for (const x of e.entries) lines.push(markdownRow(x, flag));
        lines.push('');
      }
      for (const l of liveText(e, flag.defaultEnabled)) lines.push(`${cell(l)}`, '');
    }
  }
  for (const f of result.findings) lines.push(`> ${cell(f.message)}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

function markdownRow(x: HistoryEntry, flag: FlagHistory): string {
  const when = formatUtc(new Date(x.appliedAt));
  if (!x.verified) return `| ${when} | ⚠️ unverified | \`${cell(x.record.sha?.slice(0, 8) ?? '?')}\` (not in this clone) |  |  | ${cell(recordText(x))} |`;
  const commit = x.change?.sha ?? x.record.sha;
  const mr = x.mergeRequest ? `${link(`!${x.mergeRequest.iid}`, x.mergeRequest.url)} ${cell(x.mergeRequest.title)}` : '';
  return `| ${when} | ${cell(transition(x, flag.defaultEnabled))} | ${commit ? `\`${commit.slice(0, 8)}\`` : ''} | ${mr} | ${cell(who(x))} | ${cell(recordText(x))} |`;
}

/** A link only to an http(s) URL, its brackets and blanks encoded so it cannot end early. */
function link(text: string, url: string): string {
  if (!/^https?:\/\//.test(url)) return text;
  return `[${text}](${url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`;
}

export function renderHistoryJson(result: HistoryResult): string {
  return `${JSON.stringify({ command: 'history', historyVersion: HISTORY_VERSION, ok: true, flags: result.flags, findings: result.findings satisfies Finding[] }, null, 2)}\n`;
}
