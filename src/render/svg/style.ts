// The diagram's stylesheet: light and dark themes through CSS variables, the operating system's choice under
// theme "auto", and black on white when printed. The page links it (web/), a standalone SVG embeds it.

/** Fill of each state's bar on a lifeline (light theme; the dark theme reuses the hues). */
export const STATE_COLOURS: Record<string, string> = {
  LISTEN: '#8fa3b8',
  SYN_SENT: '#f0b429',
  SYN_RECEIVED: '#f38d3c',
  ESTABLISHED: '#3f9b4f',
  FIN_WAIT_1: '#5aa9e6',
  FIN_WAIT_2: '#2f7fd1',
  CLOSING: '#b36bd1',
  TIME_WAIT: '#7a52c7',
  CLOSE_WAIT: '#e8747c',
  LAST_ACK: '#c8454f',
};

const LIGHT = `--bg:#ffffff;--fg:#1d2330;--muted:#5b6475;--grid:#d5dae3;--arrow:#1d2330;--lost:#d1242f;--rtx:#b35900;--inject:#8250df;--call:#0b5cad;--err:#d1242f;--timer:#8a6d00;--current:#ffd33d;--break:#eef1f5;`;
const DARK = `--bg:#0f1419;--fg:#e6e9ef;--muted:#9aa4b5;--grid:#3a4250;--arrow:#e6e9ef;--lost:#ff6b6b;--rtx:#ffb454;--inject:#c39bff;--call:#6cb6ff;--err:#ff6b6b;--timer:#e0c060;--current:#4d4300;--break:#1b222b;`;

export function diagramCss(): string {
  const states = Object.entries(STATE_COLOURS)
    .map(([state, colour]) => `.synack-diagram .state-${state}{fill:${colour}}`)
    .join('\n');
  return `
.synack-diagram{${LIGHT}font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:11px;background:var(--bg);color:var(--fg)}
.synack-diagram.theme-dark{${DARK}}
@media (prefers-color-scheme:dark){.synack-diagram.theme-auto{${DARK}}}
@media print{.synack-diagram,.synack-diagram.theme-dark,.synack-diagram.theme-auto{${LIGHT}}}
.synack-diagram .background{fill:var(--bg)}
.synack-diagram text{fill:var(--fg)}
.synack-diagram .halo{paint-order:stroke;stroke:var(--bg);stroke-width:3px;stroke-linejoin:round}
.synack-diagram .lane-title{font-weight:bold;font-size:12px}
.synack-diagram .lane-subtitle,.synack-diagram .tick text,.synack-diagram .break text{fill:var(--muted)}
.synack-diagram .lifeline{stroke:var(--grid);stroke-width:1.5}
.synack-diagram .lane-head{fill:var(--bg);stroke:var(--grid)}
.synack-diagram .lane.outside .lifeline{stroke-dasharray:3 3}
.synack-diagram .tick line{stroke:var(--grid);stroke-dasharray:2 4}
.synack-diagram .break rect{fill:var(--break)}
.synack-diagram .break path{stroke:var(--muted);fill:none}
.synack-diagram .arrow line.shaft{stroke:var(--arrow);stroke-width:1.3;fill:none}
.synack-diagram .arrow .head{fill:var(--arrow)}
.synack-diagram .arrow.rtx line.shaft{stroke:var(--rtx)}
.synack-diagram .arrow.rtx .head,.synack-diagram .arrow.rtx text.label{fill:var(--rtx)}
.synack-diagram .arrow.dup line.shaft{stroke-dasharray:6 3}
.synack-diagram .arrow.injected line.shaft{stroke:var(--inject);stroke-dasharray:2 2}
.synack-diagram .arrow.injected .head,.synack-diagram .arrow.injected text.label{fill:var(--inject)}
.synack-diagram .arrow.lost line.shaft{stroke:var(--lost);stroke-dasharray:5 3}
.synack-diagram .arrow.lost text.label{fill:var(--lost)}
.synack-diagram .arrow .cross{stroke:var(--lost);stroke-width:2.5}
.synack-diagram .arrow .loss{fill:var(--lost);font-size:10px}
.synack-diagram .arrow.violation text.label{fill:var(--err);font-weight:bold}
.synack-diagram .arrow .options{fill:var(--muted);font-size:10px}
.synack-diagram .arrow .hit{stroke:transparent;stroke-width:10;cursor:pointer}
.synack-diagram .note.call text{fill:var(--call)}
.synack-diagram .note.call.failed text{fill:var(--err);font-weight:bold}
.synack-diagram .note.state text{font-weight:bold}
.synack-diagram .note.timer text{fill:var(--timer);font-style:italic}
.synack-diagram .state-bar{stroke:var(--bg);stroke-width:.5}
.synack-diagram .timer-bar{stroke:var(--timer);stroke-width:2;opacity:.75}
.synack-diagram .timer-bar.cancelled{stroke-dasharray:2 2;opacity:.45}
.synack-diagram .timer-end{fill:var(--timer)}
.synack-diagram .row-mark{fill:var(--current);opacity:0}
.synack-diagram .current .row-mark{opacity:.55}
/* Rows after the current one, faded. fill- and stroke-opacity on the shapes rather than opacity on the group:
   a group's opacity makes the browser paint it offscreen, which made scrolling a long run slow. */
.synack-diagram{--future:.25}
.synack-diagram.theme-dark{--future:.35}
@media (prefers-color-scheme:dark){.synack-diagram.theme-auto{--future:.35}}
.synack-diagram .future :is(line,path,text,circle){fill-opacity:var(--future);stroke-opacity:var(--future)}
.synack-diagram .legend text{fill:var(--muted)}
.synack-diagram .legend .mark-rtx text{fill:var(--rtx)}
.synack-diagram .legend .mark-lost text{fill:var(--lost)}
.synack-diagram .legend .mark-injected text{fill:var(--inject)}
.synack-diagram .legend .mark-timer text{fill:var(--timer)}
${states}
`;
}
