-- SPDX-License-Identifier: Apache-2.0
-- The layout before the split store SPI (main at 432d8ad); the tests check that it is refused.
-- Sessionkit JDBC session store: schema for PostgreSQL 10 or later.
--
-- Every name starts with the table prefix "sessionkit_"; JdbcSessionStore.createSchema() runs this
-- script with the configured prefix in its place. Running it again changes nothing.
-- Times are epoch milliseconds (UTC); durations are milliseconds. No token or remember-me
-- validator is ever stored: token_hash and the validator columns hold their SHA-256 hashes.

CREATE TABLE IF NOT EXISTS sessionkit_sessions (
  session_id            VARCHAR(64)  NOT NULL,
  token_hash            BYTEA        NOT NULL,
  principal             VARCHAR(256),
  created_at            BIGINT       NOT NULL,
  authenticated_at      BIGINT       NOT NULL,
  authentication_method VARCHAR(32),
  last_accessed_at      BIGINT       NOT NULL,
  idle_timeout          BIGINT       NOT NULL,
  absolute_deadline     BIGINT       NOT NULL,
  expires_at            BIGINT       NOT NULL,
  remember_me_selector  VARCHAR(64),
  client_address        VARCHAR(64),
  user_agent            VARCHAR(256),
  CONSTRAINT sessionkit_sessions_pk PRIMARY KEY (session_id),
  CONSTRAINT sessionkit_sessions_token_hash_uk UNIQUE (token_hash)
);

CREATE INDEX IF NOT EXISTS sessionkit_sessions_principal_ix
  ON sessionkit_sessions (principal);

CREATE INDEX IF NOT EXISTS sessionkit_sessions_expires_at_ix
  ON sessionkit_sessions (expires_at);

CREATE TABLE IF NOT EXISTS sessionkit_session_attributes (
  session_id      VARCHAR(64)  NOT NULL,
  attribute_name  VARCHAR(200) NOT NULL,
  attribute_value BYTEA        NOT NULL,
  CONSTRAINT sessionkit_session_attributes_pk PRIMARY KEY (session_id, attribute_name),
  CONSTRAINT sessionkit_session_attributes_session_fk FOREIGN KEY (session_id)
    REFERENCES sessionkit_sessions (session_id) ON DELETE CASCADE
);

CREATE TABLE IF NOT EXISTS sessionkit_remember_me_series (
  selector                VARCHAR(64)  NOT NULL,
  principal               VARCHAR(256) NOT NULL,
  validator_hash          BYTEA        NOT NULL,
  previous_validator_hash BYTEA,
  previous_valid_until    BIGINT       NOT NULL,
  created_at              BIGINT       NOT NULL,
  expires_at              BIGINT       NOT NULL,
  last_used_at            BIGINT       NOT NULL,
  CONSTRAINT sessionkit_remember_me_series_pk PRIMARY KEY (selector)
);

CREATE INDEX IF NOT EXISTS sessionkit_remember_me_series_principal_ix
  ON sessionkit_remember_me_series (principal);

CREATE INDEX IF NOT EXISTS sessionkit_remember_me_series_expires_at_ix
  ON sessionkit_remember_me_series (expires_at);
