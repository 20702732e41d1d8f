/** Operations of the email domain (filled in by its work). */
export {};
