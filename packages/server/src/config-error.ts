// The error for a bad configuration value; its message names the variable.

/** A configuration value is wrong; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
