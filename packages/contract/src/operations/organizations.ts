/** Operations of the organizations domain (filled in by its work). */
export {};
