import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { COURSE_CODES, CourseCode } from 'src/courses/course-code';
import type { CompletionPolicy } from 'src/courses/completion-policy';

/** Course modules register their policy here; the app refuses to start if a course has none or two. */
@Injectable()
export class CompletionPolicyRegistry implements OnApplicationBootstrap {
  private readonly policies = new Map<CourseCode, CompletionPolicy>();

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
  }
}
