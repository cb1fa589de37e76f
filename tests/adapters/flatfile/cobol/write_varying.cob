      *> Writes variable-length VAR-REC records (RECORD VARYING with
      *> OCCURS DEPENDING ON) and prints the values of each as text.
       IDENTIFICATION DIVISION.
       PROGRAM-ID. WRITE-VARYING.
       ENVIRONMENT DIVISION.
       INPUT-OUTPUT SECTION.
       FILE-CONTROL.
           SELECT OUT-FILE ASSIGN TO OUT-PATH
               ORGANIZATION IS SEQUENTIAL.
       DATA DIVISION.
       FILE SECTION.
       FD  OUT-FILE
           RECORD VARYING IN SIZE FROM 15 TO 60 CHARACTERS
           DEPENDING ON REC-LEN.
       COPY "varying.cpy".
       WORKING-STORAGE SECTION.
       01  OUT-PATH                PIC X(512).
       01  REC-LEN                 PIC 9(4) COMP.
       01  I                       PIC 9(4) COMP.
       01  J                       PIC 9(2) COMP.
       01  J-DIGIT                 PIC 9.
       01  ID-NUM                  PIC 9(7).
       01  E-TOTAL                 PIC -9(7).99.
       01  E-AMT                   PIC -9(5).99.
       01  E-QTY                   PIC -9(3).
       01  ITEM-TEXT               PIC X(200).
       01  PTR                     PIC 9(3) COMP.
       PROCEDURE DIVISION.
           ACCEPT OUT-PATH FROM ARGUMENT-VALUE
           OPEN OUTPUT OUT-FILE
           PERFORM VARYING I FROM 1 BY 1 UNTIL I > 120
               MOVE I TO ID-NUM
               STRING "V" ID-NUM DELIMITED BY SIZE INTO V-ID
               COMPUTE V-COUNT = FUNCTION MOD(I, 6)
               COMPUTE V-TOTAL = I * 77.01 - 4000
               MOVE SPACES TO ITEM-TEXT
               MOVE 1 TO PTR
               PERFORM VARYING J FROM 1 BY 1 UNTIL J > V-COUNT
                   COMPUTE V-ITEM-AMT(J) = I * J * 2.25 - 50
                   MOVE "C" TO V-ITEM-CODE(J)(1:1)
                   MOVE J TO J-DIGIT
                   MOVE J-DIGIT TO V-ITEM-CODE(J)(2:1)
                   COMPUTE V-ITEM-QTY(J) = 5 - I * J
                   MOVE V-ITEM-AMT(J) TO E-AMT
                   MOVE V-ITEM-QTY(J) TO E-QTY
                   STRING "|" E-AMT "|" V-ITEM-CODE(J) "|" E-QTY
                       DELIMITED BY SIZE INTO ITEM-TEXT WITH POINTER PTR
               END-PERFORM
               COMPUTE REC-LEN = 15 + 9 * V-COUNT
               WRITE VAR-REC
               MOVE V-TOTAL TO E-TOTAL
               DISPLAY "R|" V-ID "|" E-TOTAL "|" V-COUNT
                   FUNCTION TRIM(ITEM-TEXT)
           END-PERFORM
           CLOSE OUT-FILE
           STOP RUN.
