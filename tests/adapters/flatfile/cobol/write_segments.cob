      *> Writes a multi-segment variable-length file (header, 60
      *> details, one record of an unknown type, trailer) and prints
      *> the values of each record as text.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. WRITE-SEGMENTS.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT OUT-FILE ASSIGN TO OUT-PATH
               ORGANIZATION IS SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  OUT-FILE
           RECORD VARYING IN SIZE FROM 12 TO 37 CHARACTERS
           DEPENDING ON REC-LEN.
       COPY "segments.cpy".
       WORKING-STORAGE SECTION.
       01  OUT-PATH                PIC X(512).
       01  REC-LEN                 PIC 9(4) COMP.
       01  I                       PIC 9(4) COMP.
       01  ID-NUM                  PIC 9(7).
       01  RUNNING-TOTAL           PIC S9(11)V99 VALUE 0.
       01  E-AMT                   PIC -9(9).99.
       01  E-MONTHS                PIC -9(4).
       01  E-RATE                  PIC -9.9(4).
       01  E-ADJ                   PIC -9(5).99.
       01  E-COUNT                 PIC 9(7).
       01  E-TOTAL                 PIC -9(11).99.
       PROCEDURE DIVISION.
           ACCEPT OUT-PATH FROM ARGUMENT-VALUE
           OPEN OUTPUT OUT-FILE
           MOVE "H" TO REC-TYPE OF HDR-REC
           MOVE "B2026113" TO HDR-BATCH
           MOVE 20261130 TO HDR-DATE
           MOVE "ICBC XIAN" TO HDR-BANK
           MOVE 29 TO REC-LEN
           WRITE HDR-REC
           DISPLAY "R|H|" HDR-BATCH "|" HDR-DATE "|"
               FUNCTION TRIM(HDR-BANK)
           PERFORM VARYING I FROM 1 BY 1 UNTIL I > 60
               MOVE I TO ID-NUM
               MOVE SPACES TO DTL-PERSON
               STRING "PERSON-" ID-NUM DELIMITED BY SIZE
                   INTO DTL-PERSON
               MOVE "D" TO REC-TYPE OF DTL-REC
               COMPUTE DTL-AMOUNT = I * 123.45 - 2000
               COMPUTE DTL-MONTHS = FUNCTION MOD(I, 13) - 1
               COMPUTE DTL-RATE ROUNDED = I / 7
               COMPUTE DTL-ADJUST = 50 - I * 1.5
               ADD DTL-AMOUNT TO RUNNING-TOTAL
               MOVE 37 TO REC-LEN
               WRITE DTL-REC
               MOVE DTL-AMOUNT TO E-AMT
               MOVE DTL-MONTHS TO E-MONTHS
               MOVE DTL-RATE TO E-RATE
               MOVE DTL-ADJUST TO E-ADJ
               DISPLAY "R|D|" FUNCTION TRIM(DTL-PERSON) "|" E-AMT
                   "|" E-MONTHS "|" E-RATE "|" E-ADJ
           END-PERFORM
      *>   A record type no layout describes: the reader must reject it.
           MOVE SPACES TO HDR-REC
           MOVE "X" TO REC-TYPE OF HDR-REC
           MOVE ZERO TO HDR-DATE
           MOVE "UNKNOWN" TO HDR-BATCH
           MOVE 29 TO REC-LEN
           WRITE HDR-REC
           DISPLAY "R|X"
           MOVE "T" TO REC-TYPE OF TRL-REC
           MOVE 60 TO TRL-COUNT
           MOVE RUNNING-TOTAL TO TRL-TOTAL
           MOVE 12 TO REC-LEN
           WRITE TRL-REC
           MOVE TRL-COUNT TO E-COUNT
           MOVE TRL-TOTAL TO E-TOTAL
           DISPLAY "R|T|" E-COUNT "|" E-TOTAL
           CLOSE OUT-FILE
           STOP RUN.
