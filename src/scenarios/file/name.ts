// A scenario's name from its file name: "scenarios/03-echo.yaml" -> "echo". Built-in files are numbered
// for the order `synack list` shows them in. Shared by the disk loader (load.ts) and the web app.
export function scenarioNameOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.replace(/\.(ya?ml|json)$/i, '').replace(/^\d+-/, '');
}
