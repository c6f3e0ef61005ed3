CREATE TABLE "user_sessions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "user_sessions" ADD CONSTRAINT "user_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "user_sessions_user_idx" ON "user_sessions" USING btree ("user_id");--> statement-breakpoint
-- Data fix (hand-written): removing a member revokes the API keys they made, and lowering
-- their role revokes their keys with more access than the new role (lib/team/members.ts),
-- but only since that code landed. Keys whose maker was removed, or lowered, before it still
-- work: revoke them now, one api_key.revoked audit entry each, as the live code writes them
-- (no person did it: actor_user_id and revoked_by stay empty, shown as "system").
WITH orphaned AS (
	SELECT k.id, m.role AS maker_role
	FROM "api_keys" k
	LEFT JOIN "memberships" m ON m.merchant_id = k.merchant_id AND m.user_id = k.created_by
	WHERE k.revoked_at IS NULL
		AND (
			m.id IS NULL
			OR (k.role = 'admin' AND m.role IN ('support', 'viewer'))
			OR (k.role = 'support' AND m.role = 'viewer')
		)
), revoked AS (
	UPDATE "api_keys" k SET revoked_at = now()
	FROM orphaned o
	WHERE k.id = o.id
	RETURNING k.id, k.merchant_id, k.name, k.client_id, o.maker_role
)
INSERT INTO "audit_log" (id, merchant_id, actor_user_id, action, target_type, target_id, before, after)
SELECT
	'aud_0012_' || r.id,
	r.merchant_id,
	NULL,
	'api_key.revoked',
	'api_key',
	r.id,
	jsonb_build_object('name', r.name, 'clientId', r.client_id, 'revoked', false),
	jsonb_build_object(
		'revoked', true,
		'reason', CASE WHEN r.maker_role IS NULL THEN 'maker removed' ELSE 'maker''s role lowered to ' || r.maker_role END,
		'by', 'migration 0012'
	)
FROM revoked r;
