-- SPDX-License-Identifier: Apache-2.0
-- Sessionkit JDBC session store: schema for H2 2.x.
--
-- Every name starts with the table prefix "sessionkit_"; JdbcSessionStore.createSchema() runs this
-- script with the configured prefix in its place. Running it again changes nothing.
-- Times are epoch milliseconds (UTC); durations are milliseconds. No token, remember-me selector
-- or validator is ever stored: the *_hash columns and remember_me_series hold SHA-256 hashes.
--
-- A session is found by its current token hash or, until its next rotation, by the previous one
-- (previous_token_hash, valid until previous_valid_until, replaced because of previous_cause:
-- RENEWAL or LOGIN). The authentication columns are all null for an anonymous session.

CREATE TABLE IF NOT EXISTS sessionkit_sessions (
  session_id            VARCHAR(64)   NOT NULL,
  token_hash            VARBINARY(32) NOT NULL,
  previous_token_hash   VARBINARY(32),
  previous_valid_until  BIGINT,
  previous_cause        VARCHAR(16),
  principal             VARCHAR(256),
  authenticated_at      BIGINT,
  authentication_method VARCHAR(32),
  interactive_at        BIGINT,
  remember_me_series    VARBINARY(32),
  created_at            BIGINT        NOT NULL,
  last_accessed_at      BIGINT        NOT NULL,
  idle_timeout          BIGINT        NOT NULL,
  absolute_deadline     BIGINT        NOT NULL,
  expires_at            BIGINT        NOT NULL,
  client_address        VARCHAR(64),
  user_agent            VARCHAR(256),
  CONSTRAINT sessionkit_sessions_pk PRIMARY KEY (session_id),
  CONSTRAINT sessionkit_sessions_token_hash_uk UNIQUE (token_hash),
  CONSTRAINT sessionkit_sessions_previous_token_ck CHECK (
    (previous_token_hash IS NULL AND previous_valid_until IS NULL AND previous_cause IS NULL)
    OR (previous_token_hash IS NOT NULL AND previous_valid_until IS NOT NULL
      AND previous_cause IS NOT NULL)),
  CONSTRAINT sessionkit_sessions_authentication_ck CHECK (
    (principal IS NULL AND authenticated_at IS NULL AND authentication_method IS NULL
      AND interactive_at IS NULL AND remember_me_series IS NULL)
    OR (principal IS NOT NULL AND authenticated_at IS NOT NULL
      AND authentication_method IS NOT NULL AND interactive_at IS NOT NULL))
);

CREATE INDEX IF NOT EXISTS sessionkit_sessions_previous_token_hash_ix
  ON sessionkit_sessions (previous_token_hash);

CREATE INDEX IF NOT EXISTS sessionkit_sessions_principal_ix
  ON sessionkit_sessions (principal);

CREATE INDEX IF NOT EXISTS sessionkit_sessions_expires_at_ix
  ON sessionkit_sessions (expires_at);

CREATE TABLE IF NOT EXISTS sessionkit_session_attributes (
  session_id      VARCHAR(64)   NOT NULL,
  attribute_name  VARCHAR(200)  NOT NULL,
  attribute_value VARBINARY     NOT NULL,
  CONSTRAINT sessionkit_session_attributes_pk PRIMARY KEY (session_id, attribute_name),
  CONSTRAINT sessionkit_session_attributes_session_fk FOREIGN KEY (session_id)
    REFERENCES sessionkit_sessions (session_id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS sessionkit_remember_me_series (
  selector_hash           VARBINARY(32) NOT NULL,
  principal               VARCHAR(256) NOT NULL,
  validator_hash          VARBINARY(32) NOT NULL,
  previous_validator_hash VARBINARY(32),
  previous_valid_until    BIGINT        NOT NULL,
  rotation_confirmed      BOOLEAN       NOT NULL,
  created_at              BIGINT        NOT NULL,
  expires_at              BIGINT        NOT NULL,
  last_used_at            BIGINT        NOT NULL,
  latest_session_id       VARCHAR(64),
  generation              BIGINT NOT NULL,
  CONSTRAINT sessionkit_remember_me_series_pk PRIMARY KEY (selector_hash)
);

CREATE INDEX IF NOT EXISTS sessionkit_remember_me_series_principal_ix
  ON sessionkit_remember_me_series (principal);

CREATE INDEX IF NOT EXISTS sessionkit_remember_me_series_expires_at_ix
  ON sessionkit_remember_me_series (expires_at);

-- The revocation generation of each principal that ever signed in: the fence that makes a force
-- logout final. Logins and force logouts of one principal serialize on its row.
CREATE TABLE IF NOT EXISTS sessionkit_principals (
  principal  VARCHAR(256) NOT NULL,
  generation BIGINT       NOT NULL,
  CONSTRAINT sessionkit_principals_pk PRIMARY KEY (principal)
);
