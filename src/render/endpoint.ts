// Endpoint strings as the trace writes them: "10.0.0.1:80", "[2001:db8::1]:80", or a bare address.
// Only split here, never validated: the renderer draws whatever the trace says.

/** The address part: "10.0.0.1:80" -> "10.0.0.1", "[::1]:80" -> "::1", "10.0.0.1" -> "10.0.0.1". */
export function endpointAddress(endpoint: string): string {
  const v6 = /^\[(.*)\]:\d+$/.exec(endpoint);
  if (v6) return v6[1] as string;
  const v4 = /^([^:]*):\d+$/.exec(endpoint);
  return v4 ? (v4[1] as string) : endpoint;
}

/** The port part, or undefined for a bare address. */
export function endpointPort(endpoint: string): string | undefined {
  const m = /^(?:\[.*\]|[^:]*):(\d+)$/.exec(endpoint);
  return m ? m[1] : undefined;
}
