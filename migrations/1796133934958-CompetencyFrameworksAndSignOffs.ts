import { MigrationInterface, QueryRunner } from 'typeorm';

type Item = [code: string, group: string, title: string, description: string];

// The frameworks as DESIGN.md lists them, frozen here as this migration's data: later edits are new data, not
// changes to this file.
const FOUNDATION: Item[] = [
  [
    'helper-quality.respect',
    'helper_qualities',
    'Respect',
    'Treats parents as experts on their own family, values their views and works at their pace.',
  ],
  [
    'helper-quality.genuineness',
    'helper_qualities',
    'Genuineness',
    'Is open and honest with the parent, without hiding behind a professional role.',
  ],
  [
    'helper-quality.humility',
    'helper_qualities',
    'Humility',
    'Recognises the limits of their own expertise and does not impose their views or solutions.',
  ],
  [
    'helper-quality.empathy',
    'helper_qualities',
    'Empathy',
    'Understands the parent’s situation and feelings from the parent’s own point of view.',
  ],
  [
    'helper-quality.quiet-enthusiasm',
    'helper_qualities',
    'Quiet enthusiasm',
    'Conveys hope and a steady belief that change is possible, without taking over.',
  ],
  [
    'helper-quality.personal-integrity',
    'helper_qualities',
    'Personal integrity',
    'Is trustworthy and consistent, keeps agreements and works within professional boundaries.',
  ],
  [
    'helper-skill.attending-and-active-listening',
    'helper_skills',
    'Attending and active listening',
    'Gives the parent full attention and shows, in words and manner, that they are heard.',
  ],
  [
    'helper-skill.prompting-and-exploring',
    'helper_skills',
    'Prompting and exploring',
    'Uses open questions and prompts to help the parent explore their situation.',
  ],
  [
    'helper-skill.empathic-responding',
    'helper_skills',
    'Empathic responding',
    'Reflects back the parent’s feelings and meaning accurately, so that they feel understood.',
  ],
  [
    'helper-skill.summarising',
    'helper_skills',
    'Summarising',
    'Draws together what has been said to check understanding and give the conversation direction.',
  ],
  [
    'helper-skill.enabling-change',
    'helper_skills',
    'Enabling change',
    'Helps the parent see their situation differently and find their own way forward.',
  ],
  [
    'helper-skill.negotiating',
    'helper_skills',
    'Negotiating',
    'Works through differences with the parent openly, to reach agreement on what to do.',
  ],
  [
    'helper-skill.problem-management',
    'helper_skills',
    'Problem management',
    'Works with the parent through identifying, understanding and acting on their problems.',
  ],
  [
    'helper-skill.communicating-with-children',
    'helper_skills',
    'Communicating with children',
    'Talks with children in ways suited to their age and understanding, and hears their views.',
  ],
  [
    'helping-process.relationship-building',
    'helping_process',
    'Relationship building',
    'Builds a partnership with the parent based on trust, respect and a shared purpose.',
  ],
  [
    'helping-process.exploration',
    'helping_process',
    'Exploration',
    'Helps the parent explore their situation, strengths and difficulties in depth.',
  ],
  [
    'helping-process.understanding',
    'helping_process',
    'Understanding',
    'Helps the parent make sense of their situation and come to a new understanding of it.',
  ],
  [
    'helping-process.goal-setting',
    'helping_process',
    'Goal setting',
    'Agrees clear, realistic goals with the parent that reflect what they want to change.',
  ],
  [
    'helping-process.strategy-planning',
    'helping_process',
    'Strategy planning',
    'Works out with the parent the strategies and steps that will reach their goals.',
  ],
  [
    'helping-process.implementation',
    'helping_process',
    'Implementation',
    'Supports the parent as they put their plans into action, adapting them as needed.',
  ],
  [
    'helping-process.review',
    'helping_process',
    'Review',
    'Reviews progress with the parent regularly, recognising achievements and revisiting goals.',
  ],
  [
    'helping-process.ending',
    'helping_process',
    'Ending',
    'Brings the helping relationship to a planned end that leaves the parent able to carry on.',
  ],
];

const SUPERVISION: Item[] = [
  [
    'supervision.supports-reflective-practice',
    'supervision',
    'Supports reflective practice in supervision',
    'Helps the practitioner reflect on their work with families, using the model to make sense of it.',
  ],
  [
    'supervision.models-helper-qualities',
    'supervision',
    'Models the helper qualities in the supervisory relationship',
    'Shows the practitioner the respect, genuineness, humility and empathy they are to show parents.',
  ],
  [
    'supervision.uses-the-helping-process',
    'supervision',
    'Uses the helping process to structure supervision',
    'Moves through exploration, understanding, goal setting and review with the practitioner.',
  ],
  [
    'supervision.reviews-practice-against-the-model',
    'supervision',
    'Reviews practice against the model',
    'Uses logbook reflections and case discussion to find which skills and stages to build on and which to develop.',
  ],
  [
    'supervision.attends-to-wellbeing',
    'supervision',
    'Attends to the practitioner’s wellbeing',
    'Notices and responds to the emotional impact of the work on the practitioner.',
  ],
  [
    'supervision.keeps-children-safe-in-view',
    'supervision',
    'Keeps children’s safety in view',
    'Makes sure that safeguarding concerns raised in supervision are recognised and acted on.',
  ],
];

const FACILITATOR: Item[] = [
  [
    'facilitation.facilitates-group-learning',
    'facilitation',
    'Facilitates group learning using the model',
    'Runs sessions that help a group learn the model through discussion, demonstration and skills practice.',
  ],
  [
    'facilitation.models-helper-qualities',
    'facilitation',
    'Models the helper qualities with the group',
    'Relates to participants with the respect, genuineness and empathy the model asks of helpers.',
  ],
  [
    'facilitation.demonstrates-helper-skills',
    'facilitation',
    'Demonstrates the helper skills',
    'Shows the helper skills clearly in demonstrations and role plays, and coaches participants in them.',
  ],
  [
    'facilitation.gives-feedback-on-reflections',
    'facilitation',
    'Gives feedback on logbook reflections',
    'Gives participants specific, constructive feedback on their reflective logbook entries.',
  ],
  [
    'facilitation.manages-group-process',
    'facilitation',
    'Manages the group process',
    'Keeps the group safe, inclusive and focused, and deals with difficulties as they arise.',
  ],
  [
    'facilitation.co-facilitates',
    'facilitation',
    'Plans and co-facilitates with a partner',
    'Plans sessions with a co-facilitator and shares their delivery and review.',
  ],
];

/**
 * Competency frameworks per course version, seeded for every version that exists (running cohorts of older
 * versions are assessed too), and the append-only sign-off records.
 */
export class CompetencyFrameworksAndSignOffs1796133934958 implements MigrationInterface {
  name = 'CompetencyFrameworksAndSignOffs1796133934958';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
            CREATE TABLE "competencies" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "course_version_id" uuid NOT NULL,
                "code" character varying(100) NOT NULL,
                "group" character varying(30) NOT NULL,
                "title" character varying(200) NOT NULL,
                "description" text NOT NULL,
                "position" integer NOT NULL,
                CONSTRAINT "PK_0b29ecda233cc61de0d93527813" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_50b287d1f63dfcedc78c27b901" ON "competencies" ("course_version_id", "code")
        `);
    await queryRunner.query(`
            CREATE TABLE "competency_sign_offs" (
                "id" uuid NOT NULL DEFAULT gen_random_uuid(),
                "enrolment_id" uuid NOT NULL,
                "competency_id" uuid NOT NULL,
                "outcome" character varying(10) NOT NULL,
                "evidence_entry_ids" uuid array NOT NULL DEFAULT '{}',
                "comment" text NOT NULL,
                "signed_by_id" uuid NOT NULL,
                "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT clock_timestamp(),
                "supersedes_id" uuid,
                CONSTRAINT "UQ_953cac73d3c80b77c11b94120ee" UNIQUE ("supersedes_id"),
                CONSTRAINT "CHK_9d8e03d3987569b8871de4ab54" CHECK (
                    "outcome" <> 'revoked'
                    OR "supersedes_id" IS NOT NULL
                ),
                CONSTRAINT "CHK_8b63fee681def3e35ce7e34f55" CHECK ("outcome" IN ('met', 'not_yet', 'revoked')),
                CONSTRAINT "PK_0574e68a7a4023d986d0231aa07" PRIMARY KEY ("id")
            )
        `);
    await queryRunner.query(`
            CREATE INDEX "IDX_e0dd217810278c15b0a4b439cd" ON "competency_sign_offs" ("enrolment_id", "competency_id")
        `);
    await queryRunner.query(`
            CREATE UNIQUE INDEX "IDX_competency_sign_offs_first" ON "competency_sign_offs" ("enrolment_id", "competency_id")
            WHERE "supersedes_id" IS NULL
        `);
    await queryRunner.query(`
            ALTER TABLE "competencies"
            ADD CONSTRAINT "FK_a5ceca04d20fa2d386dfb959f2e" FOREIGN KEY ("course_version_id") REFERENCES "course_versions"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs"
            ADD CONSTRAINT "FK_05c0aa39cb3754e21ac9547341f" FOREIGN KEY ("enrolment_id") REFERENCES "enrolments"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs"
            ADD CONSTRAINT "FK_9244e2abd52b4ae7e51077e9036" FOREIGN KEY ("competency_id") REFERENCES "competencies"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs"
            ADD CONSTRAINT "FK_2690b0696f06c91d94779a8a805" FOREIGN KEY ("signed_by_id") REFERENCES "users"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs"
            ADD CONSTRAINT "FK_953cac73d3c80b77c11b94120ee" FOREIGN KEY ("supersedes_id") REFERENCES "competency_sign_offs"("id") ON DELETE RESTRICT ON UPDATE NO ACTION
        `);
    // Sign-offs are a record of what was decided: the database itself refuses to change or remove one.
    await queryRunner.query(`
            CREATE FUNCTION competency_sign_offs_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'competency_sign_offs is append-only';
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER competency_sign_offs_append_only
            BEFORE UPDATE OR DELETE OR TRUNCATE ON "competency_sign_offs"
            FOR EACH STATEMENT EXECUTE FUNCTION competency_sign_offs_append_only()
        `);
    // A record supersedes only a record of the same trainee's same competency, so each trail stays its own.
    await queryRunner.query(`
            CREATE FUNCTION competency_sign_offs_same_trail() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.supersedes_id IS NOT NULL AND NOT EXISTS (
                    SELECT 1 FROM competency_sign_offs
                     WHERE id = NEW.supersedes_id
                       AND enrolment_id = NEW.enrolment_id
                       AND competency_id = NEW.competency_id
                ) THEN
                    RAISE EXCEPTION 'a competency sign-off supersedes only a record of the same enrolment and competency';
                END IF;
                RETURN NEW;
            END
            $$
        `);
    await queryRunner.query(`
            CREATE TRIGGER competency_sign_offs_same_trail
            BEFORE INSERT ON "competency_sign_offs"
            FOR EACH ROW EXECUTE FUNCTION competency_sign_offs_same_trail()
        `);
    for (const [courseCode, items] of [
      ['foundation', FOUNDATION],
      ['supervision', SUPERVISION],
      ['facilitator', FACILITATOR],
    ] as const) {
      for (const [index, [code, group, title, description]] of items.entries()) {
        await queryRunner.query(
          `INSERT INTO "competencies" ("course_version_id", "code", "group", "title", "description", "position")
                     SELECT "id", $2, $3, $4, $5, $6 FROM "course_versions" WHERE "course_code" = $1`,
          [courseCode, code, group, title, description, index + 1],
        );
      }
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER competency_sign_offs_same_trail ON "competency_sign_offs"`);
    await queryRunner.query(`DROP FUNCTION competency_sign_offs_same_trail()`);
    await queryRunner.query(`DROP TRIGGER competency_sign_offs_append_only ON "competency_sign_offs"`);
    await queryRunner.query(`DROP FUNCTION competency_sign_offs_append_only()`);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs" DROP CONSTRAINT "FK_953cac73d3c80b77c11b94120ee"
        `);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs" DROP CONSTRAINT "FK_2690b0696f06c91d94779a8a805"
        `);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs" DROP CONSTRAINT "FK_9244e2abd52b4ae7e51077e9036"
        `);
    await queryRunner.query(`
            ALTER TABLE "competency_sign_offs" DROP CONSTRAINT "FK_05c0aa39cb3754e21ac9547341f"
        `);
    await queryRunner.query(`
            ALTER TABLE "competencies" DROP CONSTRAINT "FK_a5ceca04d20fa2d386dfb959f2e"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_competency_sign_offs_first"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_e0dd217810278c15b0a4b439cd"
        `);
    await queryRunner.query(`
            DROP TABLE "competency_sign_offs"
        `);
    await queryRunner.query(`
            DROP INDEX "public"."IDX_50b287d1f63dfcedc78c27b901"
        `);
    await queryRunner.query(`
            DROP TABLE "competencies"
        `);
  }
}
