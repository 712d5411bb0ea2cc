import { sampleCertificate } from 'src/certificates/certificate-document.fixture';
import { createRenderPool, RenderPool } from 'src/certificates/render-pool';

describe(createRenderPool.name, () => {
  let pool: RenderPool;
  afterEach(() => pool?.close());

  it('renders a certificate PDF on a worker thread', async () => {
    pool = createRenderPool(1);
    const pdf = await pool.render(sampleCertificate());
    expect(pdf.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
    expect(pdf.toString('latin1')).toContain('/S /Figure');
  });

  it("keeps the main thread's timers ticking while certificates render", async () => {
    pool = createRenderPool(2);
    await pool.render(sampleCertificate()); // threads started and warm, so only rendering is measured
    let ticks = 0;
    let longestGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
      ticks++;
    }, 10);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 20 }, (_, n) => pool.render(sampleCertificate({ serial: `FPM-${n}` }))),
    );
    const elapsed = performance.now() - started;
    clearInterval(timer);
    expect(elapsed).toBeGreaterThan(200); // long enough for the timer to have been starved, had it been blocked
    expect(ticks).toBeGreaterThan(elapsed / 10 / 3);
    // Rendered on this thread, the 20 would block it for the whole batch; a busy machine may delay a tick, but
    // not for a quarter of it.
    expect(longestGap).toBeLessThan(elapsed / 4);
  });

  it('reports a render that fails and goes on rendering the next', async () => {
    pool = createRenderPool(1);
    const broken = { ...sampleCertificate(), facilitators: undefined } as unknown as ReturnType<
      typeof sampleCertificate
    >;
    await expect(pool.render(broken)).rejects.toThrow(/did not render/);
    await expect(pool.render(sampleCertificate())).resolves.toBeInstanceOf(Buffer);
  });

  it('finishes the renders already asked for when closed, and refuses new ones', async () => {
    pool = createRenderPool(1);
    const renders = [pool.render(sampleCertificate()), pool.render(sampleCertificate())];
    await pool.close();
    await expect(Promise.all(renders)).resolves.toHaveLength(2);
    await expect(pool.render(sampleCertificate())).rejects.toThrow('closed');
  });
});
