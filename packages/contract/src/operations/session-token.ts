/** Operations of the session-token domain (filled in by its work). */
export {};
