; PaktDesk installer (NSIS 3, Modern UI 2, German).
;
; Per-user installation WITHOUT administrator rights: program in %LOCALAPPDATA%\Programs\PaktDesk,
; Start menu entry, .paktdesk file association and the "Apps & Features" entry under HKCU.
; The clerk's data (%LOCALAPPDATA%\PaktDesk: Datenbestand, Sicherungen, Einstellungen, Logs) is never
; touched by installing; uninstalling keeps it unless "Meine Daten ebenfalls entfernen" is ticked.
;
; Built by installers/build.py, which passes (makensis -D...):
;   APP_VERSION      e.g. 0.1.0     (from paktdesk.__version__)
;   APP_VERSION_WIN  e.g. 0.1.0.0   (four numbers for the version resource)
;   PAYLOAD_DIR      the PyInstaller folder (dist/paktdesk) or any placeholder folder
;   OUTFILE          the installer .exe to write
;   COMPRESSOR       optional: lzma (default), zlib (faster) or none (fastest, for checks)
;   TARGET           optional: makensis target, default x86-unicode (runs on every Windows)

Unicode true
!ifdef TARGET
  Target ${TARGET}  ; e.g. amd64-unicode for a 64-bit test build (Wine without 32-bit support)
!endif
ManifestDPIAware true
RequestExecutionLevel user

!ifndef APP_VERSION
  !error "APP_VERSION fehlt: makensis -DAPP_VERSION=... (installers/build.py setzt es aus paktdesk.__version__)"
!endif
!ifndef APP_VERSION_WIN
  !error "APP_VERSION_WIN fehlt: makensis -DAPP_VERSION_WIN=a.b.c.d"
!endif
!ifndef PAYLOAD_DIR
  !define PAYLOAD_DIR "..\dist\paktdesk"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\PaktDesk-Setup-${APP_VERSION}.exe"
!endif
!ifndef COMPRESSOR
  !define COMPRESSOR "lzma"
!endif
!if ! /FileExists "${PAYLOAD_DIR}\paktdesk.exe"
  !warning "Keine paktdesk.exe in ${PAYLOAD_DIR}: kein Windows-Programm im Installer (Platzhalter oder Linux-Test), nicht ausliefern"
!endif

!define APP_NAME "PaktDesk"
!define APP_EXE "paktdesk.exe"
!define PUBLISHER "PaktDesk"
!define FILE_EXT ".paktdesk"
!define PROG_ID "PaktDesk.Datenbestand"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PaktDesk"
!define SETTINGS_KEY "Software\PaktDesk"
; Where platformdirs.user_data_dir("PaktDesk", appauthor=False, roaming=False) puts the data on Windows.
!define DATA_DIR "$LOCALAPPDATA\PaktDesk"

!if "${COMPRESSOR}" == "none"
  SetCompress off
!else
  SetCompressor /SOLID ${COMPRESSOR}
!endif
Name "${APP_NAME}"
Caption "${APP_NAME} ${APP_VERSION} – Einrichtung"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\PaktDesk"
InstallDirRegKey HKCU "${SETTINGS_KEY}" "InstallDir"
BrandingText "${APP_NAME} ${APP_VERSION}"
ShowInstDetails show
ShowUninstDetails show

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"

!define MUI_ICON "..\resources\icons\paktdesk.ico"
!define MUI_UNICON "..\resources\icons\paktdesk.ico"
!define MUI_ABORTWARNING
!define MUI_UNABORTWARNING

!define MUI_WELCOMEPAGE_TEXT "Dieser Assistent richtet ${APP_NAME} ${APP_VERSION} für Ihr Benutzerkonto ein.$\r$\n$\r$\nAdministratorrechte sind nicht nötig. Ihre Daten bleiben erhalten, auch wenn Sie eine ältere Version ersetzen.$\r$\n$\r$\nBitte schließen Sie ${APP_NAME}, bevor Sie fortfahren."
!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\${APP_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "${APP_NAME} jetzt starten"
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!define MUI_COMPONENTSPAGE_NODESC
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "German"

VIProductVersion "${APP_VERSION_WIN}"
VIFileVersion "${APP_VERSION_WIN}"
VIAddVersionKey /LANG=${LANG_GERMAN} "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=${LANG_GERMAN} "ProductVersion" "${APP_VERSION}"
VIAddVersionKey /LANG=${LANG_GERMAN} "FileVersion" "${APP_VERSION_WIN}"
VIAddVersionKey /LANG=${LANG_GERMAN} "FileDescription" "${APP_NAME} – Einrichtung"
VIAddVersionKey /LANG=${LANG_GERMAN} "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=${LANG_GERMAN} "LegalCopyright" "© ${PUBLISHER}"

; A running program file cannot be opened for writing: that is how we notice PaktDesk is still open.
!macro WAIT_FOR_APP_CLOSED UN
Function ${UN}WaitForAppClosed
  check:
    StrCpy $1 "$INSTDIR\${APP_EXE}"
    Call ${UN}IsLocked
    StrCmp $0 "1" busy
    StrCpy $1 "$INSTDIR\paktdesk-cli.exe"
    Call ${UN}IsLocked
    StrCmp $0 "1" busy done
  busy:
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "${APP_NAME} ist noch geöffnet (vielleicht auch bei einer anderen Anmeldung an diesem PC).$\r$\n$\r$\nBitte schließen Sie ${APP_NAME} und klicken Sie auf „Wiederholen“." /SD IDCANCEL IDRETRY check
    Abort "${APP_NAME} ist noch geöffnet. Es wurde nichts verändert."
  done:
FunctionEnd

; $0 = 1 if the file $1 exists and cannot be opened for writing, else 0.
Function ${UN}IsLocked
  StrCpy $0 "0"
  IfFileExists "$1" 0 free
  ClearErrors
  FileOpen $2 "$1" a
  IfErrors 0 +3
    StrCpy $0 "1"
    Goto free
  FileClose $2
  free:
FunctionEnd
!macroend
!insertmacro WAIT_FOR_APP_CLOSED ""
!insertmacro WAIT_FOR_APP_CLOSED "un."

Function .onInit
  SetShellVarContext current
  System::Call 'kernel32::CreateMutex(p 0, i 0, t "PaktDeskSetupMutex") p .r1 ?e'
  Pop $0
  ${If} $0 == 183  ; ERROR_ALREADY_EXISTS
    MessageBox MB_OK|MB_ICONEXCLAMATION "Die Einrichtung von ${APP_NAME} läuft bereits." /SD IDOK
    Abort
  ${EndIf}
FunctionEnd

Section "${APP_NAME}" SecProgram
  SectionIn RO
  SetShellVarContext current
  Call WaitForAppClosed
  SetOutPath "$INSTDIR"
  ; Files of an older version must not linger beside the new ones (stale libraries).
  ${If} ${FileExists} "$INSTDIR\${APP_EXE}"
    RMDir /r "$INSTDIR\_internal"
  ${EndIf}
  File /r "${PAYLOAD_DIR}\*.*"

  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortCut "$SMPROGRAMS\${APP_NAME}.lnk" "$INSTDIR\${APP_EXE}" "" "$INSTDIR\${APP_EXE}" 0 \
      SW_SHOWNORMAL "" "Integrationsmanagement und Förderung im Pakt für Integration"

  ; File association for the current user only.
  WriteRegStr HKCU "Software\Classes\${FILE_EXT}" "" "${PROG_ID}"
  WriteRegStr HKCU "Software\Classes\${FILE_EXT}\OpenWithProgids" "${PROG_ID}" ""
  WriteRegStr HKCU "Software\Classes\${PROG_ID}" "" "PaktDesk-Datenbestand"
  WriteRegStr HKCU "Software\Classes\${PROG_ID}\DefaultIcon" "" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROG_ID}\shell\open\command" "" '"$INSTDIR\${APP_EXE}" --data "%1"'
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED

  WriteRegStr HKCU "${SETTINGS_KEY}" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${APP_NAME}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${APP_VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${APP_EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "-un.Programm" UnSecProgram
  SetShellVarContext current
  Call un.WaitForAppClosed
  Delete "$SMPROGRAMS\${APP_NAME}.lnk"

  ; Remove the association only where it still points at us.
  ReadRegStr $0 HKCU "Software\Classes\${FILE_EXT}" ""
  ${If} $0 == "${PROG_ID}"
    DeleteRegValue HKCU "Software\Classes\${FILE_EXT}" ""
  ${EndIf}
  DeleteRegValue HKCU "Software\Classes\${FILE_EXT}\OpenWithProgids" "${PROG_ID}"
  DeleteRegKey /ifempty HKCU "Software\Classes\${FILE_EXT}\OpenWithProgids"
  DeleteRegKey /ifempty HKCU "Software\Classes\${FILE_EXT}"
  DeleteRegKey HKCU "Software\Classes\${PROG_ID}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  DeleteRegKey HKCU "${SETTINGS_KEY}"

  ; Only what the installer put there: the program folder, never the data folder.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\${APP_EXE}"
  Delete "$INSTDIR\paktdesk-cli.exe"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
SectionEnd

Section /o "un.Meine Daten ebenfalls entfernen" UnSecData
  SetShellVarContext current
  MessageBox MB_YESNO|MB_ICONEXCLAMATION|MB_DEFBUTTON2 "Wirklich alle Daten von ${APP_NAME} löschen?$\r$\n$\r$\n${DATA_DIR}$\r$\n(Datenbestand, Sicherungen, Einstellungen, Protokolle)$\r$\n$\r$\nDas kann nicht rückgängig gemacht werden. Dateien an anderen Orten bleiben erhalten." /SD IDNO IDYES remove
    DetailPrint "Daten behalten: ${DATA_DIR}"
    Goto done
  remove:
    RMDir /r "${DATA_DIR}"
    DetailPrint "Daten entfernt: ${DATA_DIR}"
  done:
SectionEnd
