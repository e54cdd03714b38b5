// The OpenAPI document served at /api/v1/openapi.yaml: a copy of openapi/openapi.yaml
// (WebTests fails when the two differ).
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.1.0
info:
  title: jobmatch front desk API
  version: 1.0.0
  description: >
    The HTTP API of jobmatch (CONTRACT.md section 7). JSON with English keys;
    identities masked unless `unmasked=true` and the role allows it (audited).
    Errors are `{"error": {"code", "message"}}`, the message in the request's
    language (Accept-Language, Chinese by default). A state-changing request
    made with the session cookie needs the session's `X-CSRF-Token`; a bearer
    token needs none. A seeker outside the caller's regions is 404.
servers:
  - url: /
security:
  - bearerAuth: []
  - cookieAuth: []
paths:
  /api/v1/openapi.yaml:
    get:
      summary: This document
      security: []
      responses:
        '200':
          description: The OpenAPI document
          content:
            application/yaml:
              schema:
                type: string
  /api/v1/session:
    post:
      summary: Sign in; sets the session cookie jobmatch_session
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/SessionRequest'
      responses:
        '200':
          description: Signed in
          headers:
            Set-Cookie:
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Session'
        '400':
          $ref: '#/components/responses/Error'
        '401':
          $ref: '#/components/responses/Error'
        '429':
          $ref: '#/components/responses/Error'
    delete:
      summary: Sign out (cookie session, with X-CSRF-Token)
      security:
        - cookieAuth: []
      parameters:
        - $ref: '#/components/parameters/CSRF'
      responses:
        '204':
          description: Signed out
        '401':
          $ref: '#/components/responses/Error'
        '403':
          $ref: '#/components/responses/Error'
  /api/v1/seekers:
    get:
      summary: Seekers of the caller's regions, by seeker_id, a page at a time
      parameters:
        - name: region
          in: query
          schema:
            type: string
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 500
            default: 50
        - name: cursor
          in: query
          description: The next_cursor of the previous page
          schema:
            type: string
      responses:
        '200':
          description: One page
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/SeekerList'
        '400':
          $ref: '#/components/responses/Error'
        '401':
          $ref: '#/components/responses/Error'
        '422':
          $ref: '#/components/responses/Error'
  /api/v1/seekers/search:
    post:
      summary: Search by certificate number (or resident ID) or name (a POST, so no identity is in a URL)
      parameters:
        - $ref: '#/components/parameters/CSRF'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/SearchRequest'
      responses:
        '200':
          description: The matches (at most limit)
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/SeekerList'
        '400':
          $ref: '#/components/responses/Error'
        '401':
          $ref: '#/components/responses/Error'
        '403':
          $ref: '#/components/responses/Error'
        '422':
          $ref: '#/components/responses/Error'
  /api/v1/seekers/{seeker_id}:
    get:
      summary: One seeker's record, masked unless unmasked=true (admin and staff; audited)
      parameters:
        - name: seeker_id
          in: path
          required: true
          schema:
            type: string
        - name: unmasked
          in: query
          schema:
            type: boolean
            default: false
      responses:
        '200':
          description: The record
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/SeekerRecord'
        '401':
          $ref: '#/components/responses/Error'
        '403':
          $ref: '#/components/responses/Error'
        '404':
          $ref: '#/components/responses/Error'
  /api/v1/seekers/{seeker_id}/explanation:
    get:
      summary: Why the seeker got what they got in the latest run that holds them, in plain Chinese (identities masked)
      parameters:
        - name: seeker_id
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: The explanation
          content:
            application/json:
              schema:
                type: object
                required: [seeker_id, text]
                properties:
                  seeker_id:
                    type: string
                  text:
                    type: string
        '401':
          $ref: '#/components/responses/Error'
        '403':
          $ref: '#/components/responses/Error'
        '404':
          $ref: '#/components/responses/Error'
  /api/v1/runs:
    post:
      summary: Request a matching run of one region (admin and staff); the daemon's worker runs it
      parameters:
        - $ref: '#/components/parameters/CSRF'
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/RunRequest'
      responses:
        '202':
          description: Queued
          content:
            application/json:
              schema:
                type: object
                required: [request_id]
                properties:
                  request_id:
                    type: integer
        '400':
          $ref: '#/components/responses/Error'
        '401':
          $ref: '#/components/responses/Error'
        '403':
          $ref: '#/components/responses/Error'
        '422':
          $ref: '#/components/responses/Error'
  /api/v1/runs/{id}:
    get:
      summary: A matching run of the caller's regions
      parameters:
        - $ref: '#/components/parameters/Id'
      responses:
        '200':
          description: The run and its objective
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Run'
        '401':
          $ref: '#/components/responses/Error'
        '404':
          $ref: '#/components/responses/Error'
  /api/v1/runs/{id}/proposals:
    get:
      summary: A run's proposals, by proposal_id, a page at a time (identities masked)
      parameters:
        - $ref: '#/components/parameters/Id'
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 500
            default: 50
        - name: cursor
          in: query
          schema:
            type: string
      responses:
        '200':
          description: One page
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Proposal'
                  next_cursor:
                    type: [string, 'null']
        '400':
          $ref: '#/components/responses/Error'
        '401':
          $ref: '#/components/responses/Error'
        '404':
          $ref: '#/components/responses/Error'
  /api/v1/runs/{id}/unmatched:
    get:
      summary: Seekers a run left without a proposal, and why
      parameters:
        - $ref: '#/components/parameters/Id'
      responses:
        '200':
          description: The unmatched
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/Unmatched'
        '401':
          $ref: '#/components/responses/Error'
        '404':
          $ref: '#/components/responses/Error'
  /api/v1/proposals/{id}/confirm:
    post:
      summary: Confirm one proposal (admin and staff); 409 when it no longer holds, and nothing is written
      parameters:
        - $ref: '#/components/parameters/Id'
        - $ref: '#/components/parameters/CSRF'
      responses:
        '200':
          description: Confirmed
          content:
            application/json:
              schema:
                type: object
                required: [confirmed]
                properties:
                  confirmed:
                    type: array
                    items:
                      type: integer
        '401':
          $ref: '#/components/responses/Error'
        '403':
          $ref: '#/components/responses/Error'
        '404':
          $ref: '#/components/responses/Error'
        '409':
          $ref: '#/components/responses/Error'
  /api/v1/policy:
    get:
      summary: The policy parameters in force on a date for a jurisdiction (and those above it)
      parameters:
        - name: date
          in: query
          description: YYYY-MM-DD; today in Asia/Shanghai by default
          schema:
            type: string
            format: date
        - name: jurisdiction
          in: query
          description: e.g. CN-41-4103-410307 (the default)
          schema:
            type: string
      responses:
        '200':
          description: The parameters
          content:
            application/json:
              schema:
                type: object
                required: [date, jurisdiction, items]
                properties:
                  date:
                    type: string
                  jurisdiction:
                    type: string
                  items:
                    type: array
                    items:
                      $ref: '#/components/schemas/PolicyParameter'
        '401':
          $ref: '#/components/responses/Error'
        '422':
          $ref: '#/components/responses/Error'
  /api/v1/requests/{id}:
    get:
      summary: A run request's state
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
      responses:
        '200':
          description: The state
          content:
            application/json:
              schema:
                type: object
                required: [request_id, state]
                properties:
                  request_id:
                    type: integer
                  state:
                    type: string
                  run_id:
                    type: [integer, 'null']
        '401':
          $ref: '#/components/responses/Error'
        '404':
          $ref: '#/components/responses/Error'
components:
  securitySchemes:
    bearerAuth:
      type: http
      scheme: bearer
      description: A token from `jobmatch token add`
    cookieAuth:
      type: apiKey
      in: cookie
      name: jobmatch_session
  parameters:
    Id:
      name: id
      in: path
      required: true
      schema:
        type: integer
    CSRF:
      name: X-CSRF-Token
      in: header
      required: false
      description: The csrf_token of POST /api/v1/session; required with the session cookie, not with a bearer token
      schema:
        type: string
  responses:
    Error:
      description: An error
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    Error:
      type: object
      required: [error]
      properties:
        error:
          type: object
          required: [code, message]
          properties:
            code:
              type: string
            message:
              type: string
    SessionRequest:
      type: object
      required: [username, password]
      properties:
        username:
          type: string
        password:
          type: string
    Session:
      type: object
      required: [csrf_token, username, role]
      properties:
        csrf_token:
          type: string
        username:
          type: string
        role:
          type: string
          enum: [admin, staff, viewer]
    SearchRequest:
      type: object
      properties:
        certificate_no:
          type: string
        name:
          type: string
        region:
          type: string
        limit:
          type: integer
          minimum: 1
          maximum: 500
    RunRequest:
      type: object
      required: [region]
      properties:
        region:
          type: string
        date:
          type: string
          format: date
    SeekerSummary:
      type: object
      required: [seeker_id, certificate_no, name, town_code, status]
      properties:
        seeker_id:
          type: string
        certificate_no:
          type: string
        name:
          type: string
        town_code:
          type: string
        status:
          type: string
    SeekerList:
      type: object
      required: [items]
      properties:
        items:
          type: array
          items:
            $ref: '#/components/schemas/SeekerSummary'
        next_cursor:
          type: [string, 'null']
    SeekerRecord:
      type: object
      required: [seeker_id, certificate_no, name, town_code, status, work_capacity, masked]
      properties:
        seeker_id:
          type: string
        certificate_no:
          type: string
        name:
          type: string
        town_code:
          type: string
        status:
          type: string
        work_capacity:
          type: string
        education:
          type: [string, 'null']
        registered_on:
          type: [string, 'null']
        phone:
          type: [string, 'null']
        masked:
          type: boolean
    Run:
      type: object
      required: [run_id, region_code, run_date, seekers, openings, objective_households, objective_priority, objective_placed, objective_score]
      properties:
        run_id:
          type: integer
        region_code:
          type: string
        run_date:
          type: string
          format: date
        seekers:
          type: integer
        openings:
          type: integer
        objective_households:
          type: integer
        objective_priority:
          type: integer
        objective_placed:
          type: integer
        objective_score:
          type: integer
    Proposal:
      type: object
      required: [proposal_id, certificate_no, opening_id, score, reasons, confirmed]
      properties:
        proposal_id:
          type: integer
        seeker_id:
          type: [string, 'null']
        certificate_no:
          type: string
        opening_id:
          type: string
        score:
          type: integer
        reasons:
          type: array
          items:
            type: object
            required: [code, text]
            properties:
              code:
                type: string
              text:
                type: string
        confirmed:
          type: boolean
    Unmatched:
      type: object
      required: [certificate_no, reason]
      properties:
        seeker_id:
          type: [string, 'null']
        certificate_no:
          type: string
        reason:
          type: string
    PolicyParameter:
      type: object
      required: [key, jurisdiction, valid_from, value, source, status]
      properties:
        key:
          type: string
        jurisdiction:
          type: string
        valid_from:
          type: string
          format: date
        valid_to:
          type: [string, 'null']
          format: date
        value:
          type: string
        source:
          type: string
        status:
          type: string
"""#
}
