-- 0002 — the inputs of the annual quota review (POLICY.md §1): an employer's
-- figures for a year, and the disabled people it declares.
--
-- A roster's certificate is kept as text: the review judges it (POLICY.md §1),
-- so the worksheet can tell the employer what was wrong. The person key is
-- the resident ID (the first 18 characters of a 残疾人证号, or a veteran's
-- resident_id), so one employer cannot declare a person twice in a year.

CREATE TABLE employer_year (
    credit_code         text NOT NULL,
    year                integer NOT NULL,
    employees           numeric NOT NULL,
    monthly_headcounts  numeric[],
    total_wages_fen     bigint NOT NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT employer_year_pk PRIMARY KEY (credit_code, year),
    CONSTRAINT employer_year_employer_fk FOREIGN KEY (credit_code) REFERENCES employer (credit_code),
    CONSTRAINT employer_year_employees_nonnegative CHECK (employees >= 0),
    CONSTRAINT employer_year_wages_nonnegative CHECK (total_wages_fen >= 0),
    CONSTRAINT employer_year_headcounts_twelve CHECK (monthly_headcounts IS NULL OR cardinality(monthly_headcounts) = 12)
);

CREATE TABLE roster (
    credit_code              text NOT NULL,
    year                     integer NOT NULL,
    person_key               text NOT NULL,
    certificate_no           text,
    veteran_certificate_no   text,
    veteran_grade            integer,
    resident_id              text,
    contract_start           date,
    contract_end             date,
    establishment            boolean NOT NULL DEFAULT false,
    months_paid              integer NOT NULL,
    lowest_monthly_wage_fen  bigint NOT NULL,
    new_graduate             boolean NOT NULL DEFAULT false,
    created_at               timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT roster_pk PRIMARY KEY (credit_code, year, person_key),
    CONSTRAINT roster_employer_fk FOREIGN KEY (credit_code) REFERENCES employer (credit_code),
    CONSTRAINT roster_months_paid_range CHECK (months_paid BETWEEN 0 AND 12),
    CONSTRAINT roster_has_certificate CHECK (certificate_no IS NOT NULL OR veteran_certificate_no IS NOT NULL)
);
CREATE INDEX roster_year_person_idx ON roster (year, person_key);
