/** Operations of the sessions domain (filled in by its work). */
export {};
