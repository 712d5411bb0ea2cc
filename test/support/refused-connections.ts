/** BullMQ reports each failed reconnection on the console while a private Redis is stopped on purpose. */
export function hideRefusedConnections(): void {
  const report = console.error.bind(console);
  jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).includes('ECONNREFUSED')) report(...args);
  });
}
