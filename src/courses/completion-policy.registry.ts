import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import type { CompletionPolicy } from 'src/courses/completion-policy';
import { ProgressFactRegistry } from 'src/courses/progress-fact.registry';

/**
 * Course modules register their policy here. The app refuses to start if a course has none or two, or if a
 * policy needs a progress fact that no registered provider supplies (checked once every module has registered).
 */
@Injectable()
export class CompletionPolicyRegistry implements OnApplicationBootstrap {
  private readonly policies = new Map<CourseCode, CompletionPolicy>();

  constructor(private readonly facts: ProgressFactRegistry) {}

  register(policy: CompletionPolicy): void {
    if (this.policies.has(policy.courseCode)) {
      throw new Error(`Two completion policies registered for ${policy.courseCode}`);
    }
    this.policies.set(policy.courseCode, policy);
  }

  for(courseCode: CourseCode): CompletionPolicy {
    const policy = this.policies.get(courseCode);
    if (!policy) throw new Error(`No completion policy registered for ${courseCode}`);
    return policy;
  }

  onApplicationBootstrap(): void {
    const missing = COURSE_CODES.filter((code) => !this.policies.has(code));
    if (missing.length > 0) throw new Error(`No completion policy registered for ${missing.join(', ')}`);
    const unsupplied = [...this.policies.values()].flatMap((policy) =>
      policy.needs
        .filter((fact) => !this.facts.supplies(fact))
        .map((fact) => `${policy.courseCode} needs ${fact}`),
    );
    if (unsupplied.length > 0) {
      throw new Error(`No progress fact provider registered: ${unsupplied.join(', ')}`);
    }
  }
}
