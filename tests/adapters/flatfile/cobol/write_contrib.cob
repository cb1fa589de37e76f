      *> Writes N fixed-length CONTRIB-REC records and prints, for each,
      *> the values it wrote, as text: the oracle the adapter must match.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. WRITE-CONTRIB.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT OUT-FILE ASSIGN TO OUT-PATH
               ORGANIZATION IS SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  OUT-FILE.
       COPY "contrib.cpy".
       WORKING-STORAGE SECTION.
       01  OUT-PATH                PIC X(512).
       01  I                       PIC 9(4) COMP.
       01  J                       PIC 9 COMP.
       01  N                       PIC 9(4) COMP VALUE 300.
       01  ID-NUM                  PIC 9(9).
       01  E-AMT                   PIC -9(7).99.
       01  E-MONTHS                PIC -9(4).
       01  E-RATE                  PIC -9.9(4).
       01  E-ADJ                   PIC -9(5).99.
       01  E-TOTAL                 PIC -9(9).99.
       01  E-PAY                   PIC -9(5).99.
       01  PAY-TEXT                PIC X(60).
       01  PTR                     PIC 9(3) COMP.
       01  NAME-VALUES.
           05  FILLER PIC X(20) VALUE "王小明".
           05  FILLER PIC X(20) VALUE "李四".
           05  FILLER PIC X(20) VALUE "Zhang San".
           05  FILLER PIC X(20) VALUE "欧阳娜娜".
           05  FILLER PIC X(20) VALUE "陈静".
       01  NAME-TABLE REDEFINES NAME-VALUES.
           05  NAME-ENTRY PIC X(20) OCCURS 5 TIMES.
       PROCEDURE DIVISION.
           ACCEPT OUT-PATH FROM ARGUMENT-VALUE
           OPEN OUTPUT OUT-FILE
           PERFORM VARYING I FROM 1 BY 1 UNTIL I > N
               MOVE "D" TO REC-TYPE
               MOVE I TO ID-NUM
               STRING "P" ID-NUM DELIMITED BY SIZE INTO PERSON-ID
               MOVE NAME-ENTRY(FUNCTION MOD(I, 5) + 1) TO PERSON-NAME
               COMPUTE BASE-AMT = I * 123.45 - 5000
               COMPUTE MONTHS = 12 - I
               COMPUTE RATE = (I - 150) * 0.0037
               COMPUTE ADJUST = (I - 50) * 3.21
               COMPUTE PERIOD = 202400 + FUNCTION MOD(I, 12) + 1
               COMPUTE TOTAL-PAID = I * I * 1000.01 - 7777777.77
               PERFORM VARYING J FROM 1 BY 1 UNTIL J > 3
                   COMPUTE PAY-AMT(J) = I * J * 1.5 - 100
                   IF FUNCTION MOD(I + J, 2) = 0
                       MOVE "Y" TO PAY-FLAG(J)
                   ELSE
                       MOVE "N" TO PAY-FLAG(J)
                   END-IF
               END-PERFORM
               WRITE CONTRIB-REC
               MOVE BASE-AMT TO E-AMT
               MOVE MONTHS TO E-MONTHS
               MOVE RATE TO E-RATE
               MOVE ADJUST TO E-ADJ
               MOVE TOTAL-PAID TO E-TOTAL
               MOVE SPACES TO PAY-TEXT
               MOVE 1 TO PTR
               PERFORM VARYING J FROM 1 BY 1 UNTIL J > 3
                   MOVE PAY-AMT(J) TO E-PAY
                   STRING "|" E-PAY "|" PAY-FLAG(J) DELIMITED BY SIZE
                       INTO PAY-TEXT WITH POINTER PTR
               END-PERFORM
               DISPLAY "R|" PERSON-ID "|" FUNCTION TRIM(PERSON-NAME)
                   "|" E-AMT "|" E-MONTHS "|" E-RATE "|" E-ADJ
                   "|" PERIOD "|" PERIOD-YEAR "|" PERIOD-MONTH
                   "|" E-TOTAL FUNCTION TRIM(PAY-TEXT)
           END-PERFORM
           CLOSE OUT-FILE
           STOP RUN.
