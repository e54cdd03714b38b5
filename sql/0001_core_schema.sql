-- 0001 — the system of record: regions, households, seekers, trainings,
-- employers, job categories, openings and placements (CONTRACT.md §2).
--
-- Why this shape: every import KIND upserts on its contract key, so each key
-- is the table's primary key; references that the contract makes row errors
-- are foreign keys too, so the database refuses what intake would refuse.
-- Timestamps move only when a row really changes (the merge compares rows).
-- Personal data (names, phones, identity numbers) lives only in seeker and
-- roster; logs never read it.

CREATE TABLE region (
    code          text PRIMARY KEY,
    name          text NOT NULL,
    parent_code   text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT region_parent_fk FOREIGN KEY (parent_code) REFERENCES region (code)
        DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT region_code_format CHECK (code ~ '^[0-9A-Za-z_-]{1,30}$')
);

-- Symmetric: the merge writes both directions.
CREATE TABLE region_neighbour (
    region_code     text NOT NULL,
    neighbour_code  text NOT NULL,
    CONSTRAINT region_neighbour_pk PRIMARY KEY (region_code, neighbour_code),
    CONSTRAINT region_neighbour_region_fk FOREIGN KEY (region_code) REFERENCES region (code)
        DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT region_neighbour_neighbour_fk FOREIGN KEY (neighbour_code) REFERENCES region (code)
        DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT region_neighbour_not_self CHECK (region_code <> neighbour_code)
);

CREATE TABLE household (
    household_id      text PRIMARY KEY,
    town_code         text NOT NULL,
    employed_members  integer NOT NULL,
    flags             text[] NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT household_town_fk FOREIGN KEY (town_code) REFERENCES region (code),
    CONSTRAINT household_employed_members_nonnegative CHECK (employed_members >= 0)
);

CREATE TABLE seeker (
    certificate_no    text PRIMARY KEY,       -- 20 characters: resident ID, category, grade
    reissue           integer,                -- the Bn suffix, kept apart from the key
    resident_id       text NOT NULL,
    name              text NOT NULL,
    town_code         text NOT NULL,
    household_id      text,
    education         text,
    graduation_year   integer,
    skills            text[] NOT NULL DEFAULT '{}',
    certificates      text[] NOT NULL DEFAULT '{}',
    intentions        text[] NOT NULL DEFAULT '{}',
    work_capacity     text NOT NULL DEFAULT 'full',
    flags             text[] NOT NULL DEFAULT '{}',
    status            text NOT NULL DEFAULT 'seeking',
    registered_on     date,
    phone             text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT seeker_certificate_format CHECK (certificate_no ~ '^[0-9]{17}[0-9X][1-7][1-4]$'),
    CONSTRAINT seeker_resident_id_matches CHECK (resident_id = left(certificate_no, 18)),
    CONSTRAINT seeker_town_fk FOREIGN KEY (town_code) REFERENCES region (code),
    CONSTRAINT seeker_household_fk FOREIGN KEY (household_id) REFERENCES household (household_id),
    CONSTRAINT seeker_work_capacity_valid CHECK (work_capacity IN ('full', 'partial', 'assisted')),
    CONSTRAINT seeker_status_valid CHECK (status IN ('seeking', 'employed', 'inactive')),
    CONSTRAINT seeker_education_valid CHECK (education IS NULL OR education IN
        ('none', 'primary', 'junior', 'senior', 'vocational', 'college', 'bachelor', 'postgraduate'))
);
CREATE INDEX seeker_town_idx ON seeker (town_code);
CREATE INDEX seeker_household_idx ON seeker (household_id);
CREATE INDEX seeker_resident_id_idx ON seeker (resident_id);

CREATE TABLE training (
    certificate_no  text NOT NULL,
    course          text NOT NULL,
    start_date      date NOT NULL,
    skill           text,
    end_date        date,
    completed       boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT training_pk PRIMARY KEY (certificate_no, course, start_date),
    CONSTRAINT training_seeker_fk FOREIGN KEY (certificate_no) REFERENCES seeker (certificate_no)
);

CREATE TABLE employer (
    credit_code   text PRIMARY KEY,
    name          text NOT NULL,
    town_code     text NOT NULL,
    type          text NOT NULL,
    concentrated  boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT employer_credit_code_format CHECK (credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'),
    CONSTRAINT employer_town_fk FOREIGN KEY (town_code) REFERENCES region (code),
    CONSTRAINT employer_type_valid CHECK (type IN ('enterprise', 'agency', 'institution', 'social_org', 'individual'))
);

-- CONTRACT.md §2.1: the list is data; a center may add codes.
CREATE TABLE job_category (
    code  text PRIMARY KEY,
    name  text NOT NULL,
    CONSTRAINT job_category_name_unique UNIQUE (name)
);

CREATE TABLE opening (
    opening_id             text PRIMARY KEY,
    kind                   text NOT NULL,
    employer_credit_code   text,
    category               text NOT NULL,
    title                  text,
    town_code              text NOT NULL,
    slots                  integer NOT NULL,
    reach                  text NOT NULL,
    demands                text[] NOT NULL DEFAULT '{}',
    min_age                integer,
    max_age                integer,
    required_certificates  text[] NOT NULL DEFAULT '{}',
    required_skills        text[] NOT NULL DEFAULT '{}',
    preferred_skills       text[] NOT NULL DEFAULT '{}',
    monthly_wage_fen       bigint,
    hours_per_week         integer NOT NULL DEFAULT 40,
    open_from              date,
    open_until             date,
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT opening_kind_valid CHECK (kind IN ('public_welfare', 'quota', 'assisted', 'general')),
    CONSTRAINT opening_reach_valid CHECK (reach IN ('town', 'neighbours', 'district')),
    CONSTRAINT opening_slots_positive CHECK (slots >= 1),
    CONSTRAINT opening_quota_needs_employer CHECK (kind <> 'quota' OR employer_credit_code IS NOT NULL),
    CONSTRAINT opening_employer_fk FOREIGN KEY (employer_credit_code) REFERENCES employer (credit_code),
    CONSTRAINT opening_category_fk FOREIGN KEY (category) REFERENCES job_category (code),
    CONSTRAINT opening_town_fk FOREIGN KEY (town_code) REFERENCES region (code)
);
CREATE INDEX opening_town_idx ON opening (town_code);

-- A placement is active from start_date through end_date, or open-ended.
-- A confirmed proposal becomes one (source = 'confirmed', proposal_id set).
CREATE TABLE placement (
    certificate_no    text NOT NULL,
    opening_id        text NOT NULL,
    start_date        date NOT NULL,
    end_date          date,
    monthly_wage_fen  bigint,
    contract_months   integer,
    source            text NOT NULL DEFAULT 'import',
    proposal_id       bigint,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT placement_pk PRIMARY KEY (certificate_no, opening_id, start_date),
    CONSTRAINT placement_seeker_fk FOREIGN KEY (certificate_no) REFERENCES seeker (certificate_no),
    CONSTRAINT placement_opening_fk FOREIGN KEY (opening_id) REFERENCES opening (opening_id),
    CONSTRAINT placement_source_valid CHECK (source IN ('import', 'confirmed')),
    CONSTRAINT placement_dates_ordered CHECK (end_date IS NULL OR end_date >= start_date)
);
CREATE INDEX placement_opening_idx ON placement (opening_id);
