import { Module, OnModuleInit } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { CompletionPolicyModule } from 'src/courses/completion-policy.module';
import { CompletionPolicyRegistry } from 'src/courses/completion-policy.registry';
import { FacilitatorModule } from 'src/courses/facilitator/facilitator.module';
import { FoundationModule } from 'src/courses/foundation/foundation.module';
import type { ProgressFactProvider } from 'src/courses/progress-fact.provider';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';
import type { ProgressFactKey } from 'src/courses/progress-facts';
import { SupervisionModule } from 'src/courses/supervision/supervision.module';

const provider = (fact: ProgressFactKey): ProgressFactProvider => ({ fact, gather: async () => new Map() });

/** A feature module that registers providers of these facts, as cohorts and courses do. */
function supplying(...facts: ProgressFactKey[]) {
  @Module({ imports: [CompletionPolicyModule] })
  class FactsModule implements OnModuleInit {
    constructor(private readonly registry: ProgressFactRegistry) {}

    onModuleInit(): void {
      for (const fact of facts) this.registry.register(provider(fact));
    }
  }
  return FactsModule;
}

async function start(...facts: ProgressFactKey[]) {
  const module = await Test.createTestingModule({
    imports: [FoundationModule, SupervisionModule, FacilitatorModule, supplying(...facts)],
  }).compile();
  return module.init();
}

describe(CompletionPolicyRegistry.name, () => {
  it('starts when every fact the course policies need has a provider', async () => {
    const app = await start('attendance', 'completedCourses', 'logbook', 'competencies');
    expect(app.get(ProgressFactRegistry).supplies('attendance')).toBe(true);
    await app.close();
  });

  it('refuses to start when a policy needs a fact that no provider supplies', async () => {
    await expect(start('completedCourses', 'logbook', 'competencies')).rejects.toThrow(
      'No progress fact provider registered: foundation needs attendance, supervision needs attendance, facilitator needs attendance',
    );
    await expect(start('attendance', 'completedCourses', 'logbook')).rejects.toThrow(
      'No progress fact provider registered: foundation needs competencies, supervision needs competencies, facilitator needs competencies',
    );
  });

  it('refuses to start when two providers supply one fact', async () => {
    await expect(
      start('attendance', 'completedCourses', 'logbook', 'competencies', 'attendance'),
    ).rejects.toThrow('Two progress fact providers registered for attendance');
  });

  it('refuses to start when a course has no completion policy', async () => {
    const module = await Test.createTestingModule({
      imports: [FoundationModule, supplying('attendance', 'completedCourses', 'logbook', 'competencies')],
    }).compile();
    await expect(module.init()).rejects.toThrow(
      'No completion policy registered for supervision, facilitator',
    );
  });
});
