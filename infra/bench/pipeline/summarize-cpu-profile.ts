import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface HotSpot {
  /** "function (file:line)", the file relative to the repository or node_modules. */
  frame: string;
  /** Share of the profile's sampled time spent in this frame itself, %. */
  selfPercent: number;
}

/** The frames with the most self time in a V8 .cpuprofile (node --cpu-prof), idle and GC shown as such. */
export function hotSpots(file: string, top = 12): HotSpot[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const micros = profile.timeDeltas[index] ?? 0;
    total += micros;
    const node = byId.get(id);
    if (node === undefined) return;
    const frame = describe(node);
    selfMicros.set(frame, (selfMicros.get(frame) ?? 0) + micros);
  });
  return [...selfMicros.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, micros]) => ({ frame, selfPercent: Math.round((micros / Math.max(1, total)) * 1000) / 10 }));
}

function describe(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName === '' ? '(anonymous)' : functionName;
  if (url === '') return name;
  const short = url.replace(/^file:\/\//, '').replace(/^.*\/node_modules\//, '').replace(/^.*\/(functions|infra)\//, '$1/').replace(/^.*\.build\//, '.build/');
  return `${name} (${short}:${lineNumber + 1})`;
}
